//! Performance pay (绩效工资, contract §10), in whole cents by exact integer arithmetic: no
//! double ever touches an amount. Pure; what `rankpress payroll` writes is in
//! [`crate::payroll`]. Pay is confidential and never reaches the site.

use crate::decimal::Decimal;
use crate::diag::t;
use crate::error::Error;
use crate::model::{PayMethod, Site};
use crate::score::{cents, div_round, MonthScore};

/// One manager's pay in a month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayRow {
    /// Index of the manager.
    pub manager: usize,
    /// Pay in cents (分).
    pub cents: i128,
}

/// The amounts are too large to be worked out exactly (absurd data, never a real payroll).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overflow;

/// Shares `pool` cents in proportion to `weights` (all >= 0), given in tie-break order (rank,
/// then id): each gets ⌊P × w / W⌋, and the cents left go one each to the largest remainders
/// `P × w mod W`, ties to the earlier one. Nobody is paid when W = 0.
pub fn share_pool(pool: i128, weights: &[i128]) -> Result<Vec<i128>, Overflow> {
    let total = weights
        .iter()
        .try_fold(0i128, |a, &w| a.checked_add(w))
        .ok_or(Overflow)?;
    if total == 0 {
        return Ok(vec![0; weights.len()]);
    }
    let mut pays = Vec::with_capacity(weights.len());
    let mut rems = Vec::with_capacity(weights.len());
    for &w in weights {
        let pw = pool.checked_mul(w).ok_or(Overflow)?;
        pays.push(pw / total);
        rems.push(pw % total);
    }
    let left = pool - pays.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| rems[b].cmp(&rems[a]).then(a.cmp(&b)));
    for &i in order.iter().take(left as usize) {
        pays[i] += 1;
    }
    Ok(pays)
}

/// The pay of every ranked manager of a month, in ranking order (`None` without `pay`), or
/// the refusal that every command working out pay (`payroll`, `bulletin` with
/// `personal_pay`) gives when the amounts are too large to be worked out exactly.
pub fn month_pay_or_refuse(site: &Site, ms: &MonthScore) -> Result<Option<Vec<PayRow>>, Error> {
    month_pay(site, ms).transpose().map_err(|Overflow| {
        Error::Usage(t!(
            site.config.language,
            "{} 的金额过大，无法精确计算绩效工资",
            "the amounts of {} are too large to work out the pay exactly",
            ms.month
        ))
    })
}

/// The pay of every ranked manager of a month, in ranking order; `None` without `pay`.
pub fn month_pay(site: &Site, ms: &MonthScore) -> Option<Result<Vec<PayRow>, Overflow>> {
    let pol = &site.config.policy;
    let pay = pol.pay.as_ref()?;
    let coef = |r: &crate::score::Row| -> Decimal {
        r.rating
            .and_then(|l| pol.ratings.get(l))
            .map_or(Decimal::int(1), |l| l.coefficient)
    };
    let amounts: Result<Vec<i128>, Overflow> = match pay.method {
        PayMethod::Rating => {
            let base = pay.base_cents.unwrap_or(0);
            ms.rows
                .iter()
                .map(|r| {
                    if r.veto.is_some() {
                        return Ok(0);
                    }
                    let c = coef(r);
                    let num = base.checked_mul(c.units).ok_or(Overflow)?;
                    Ok(div_round(num, 10i128.pow(c.scale)))
                })
                .collect()
        }
        PayMethod::Pool => {
            let scale = pol
                .ratings
                .iter()
                .map(|l| l.coefficient.scale)
                .max()
                .unwrap_or(0);
            let weights: Result<Vec<i128>, Overflow> = ms
                .rows
                .iter()
                .map(|r| {
                    if r.veto.is_some() {
                        return Ok(0);
                    }
                    let c = coef(r).at_scale(scale).ok_or(Overflow)?;
                    (cents(r.total).max(0) as i128)
                        .checked_mul(c)
                        .ok_or(Overflow)
                })
                .collect();
            weights.and_then(|w| share_pool(pay.pool_cents.unwrap_or(0), &w))
        }
    };
    Some(amounts.map(|a| {
        ms.rows
            .iter()
            .zip(a)
            .map(|(r, cents)| PayRow {
                manager: r.manager,
                cents,
            })
            .collect()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_cents_add_up_with_largest_remainders() {
        // 100 cents over three equal weights: 34, 33, 33 (the tie goes to the first).
        assert_eq!(share_pool(100, &[1, 1, 1]).unwrap(), vec![34, 33, 33]);
        assert_eq!(share_pool(100, &[0, 0]).unwrap(), vec![0, 0]);
        assert_eq!(share_pool(101, &[2, 1, 0]).unwrap(), vec![67, 34, 0]);
        // 6000000 cents over weights 9825×12, 9000×11, 8000×10.
        let p = share_pool(6_000_000, &[117_900, 99_000, 80_000]).unwrap();
        assert_eq!(p.iter().sum::<i128>(), 6_000_000);
        assert_eq!(p, vec![2_382_620, 2_000_674, 1_616_706]);
        assert_eq!(share_pool(i128::MAX, &[2, 3]), Err(Overflow));
    }
}
