//! Exact decimals as written in the data (`60000`, `1234.56`, `12.5`), for pay and quotas
//! (contract §10), where doubles are not allowed: a value is an integer count of units of
//! `10^-scale`, and every computation on it is integer arithmetic.

use std::fmt;

/// Most decimals kept; a number written with more is not an exact decimal we accept.
pub const MAX_SCALE: u32 = 18;

/// An exact decimal `units × 10^-scale`, normalised (no trailing zero decimals).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Decimal {
    /// The digits as an integer.
    pub units: i128,
    /// The number of decimals.
    pub scale: u32,
}

impl Decimal {
    /// An integer.
    pub const fn int(n: i128) -> Decimal {
        Decimal { units: n, scale: 0 }
    }

    /// Parses a YAML decimal scalar: `[+-]digits[.digits][e[+-]digits]` (also `.5`, `5.`).
    /// `None` for anything else (hex, `.inf`, underscores) or beyond [`MAX_SCALE`] decimals.
    pub fn parse(s: &str) -> Option<Decimal> {
        let s = s.trim();
        let (neg, s) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let (mantissa, exp) = match s.find(['e', 'E']) {
            Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
            None => (s, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if int.is_empty() && frac.is_empty()
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let digits = format!("{int}{frac}");
        let digits = digits.trim_start_matches('0');
        if digits.len() > 36 {
            return None;
        }
        let mut units: i128 = if digits.is_empty() {
            0
        } else {
            digits.parse().ok()?
        };
        let mut scale = frac.len() as i64 - exp as i64;
        while scale < 0 {
            units = units.checked_mul(10)?;
            scale += 1;
        }
        let mut d = Decimal {
            units: if neg { -units } else { units },
            scale: u32::try_from(scale).ok()?,
        };
        while d.scale > 0 && d.units % 10 == 0 {
            d.units /= 10;
            d.scale -= 1;
        }
        (d.scale <= MAX_SCALE).then_some(d)
    }

    /// The decimal of a double's shortest round-trip text (a fallback when the text as written
    /// is not at hand; equal to it for any number of at most 15 significant digits).
    pub fn from_f64(x: f64) -> Option<Decimal> {
        Decimal::parse(&format!("{x}"))
    }

    /// The value in whole cents, when it has at most two decimals.
    pub fn cents(self) -> Option<i128> {
        (self.scale <= 2).then(|| self.units * 10i128.pow(2 - self.scale))
    }

    /// The units at a larger or equal `scale` (`None` on overflow).
    pub fn at_scale(self, scale: u32) -> Option<i128> {
        self.units
            .checked_mul(10i128.checked_pow(scale.checked_sub(self.scale)?)?)
    }

    /// The nearest double (for exports and display).
    pub fn to_f64(self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.units < 0 { "-" } else { "" };
        let a = self.units.unsigned_abs();
        if self.scale == 0 {
            return write!(f, "{sign}{a}");
        }
        let p = 10u128.pow(self.scale);
        write!(f, "{sign}{}.{:0w$}", a / p, a % p, w = self.scale as usize)
    }
}

/// Formats whole cents as `1234.56` (two decimals, no grouping).
pub fn yuan(cents: i128) -> String {
    Decimal {
        units: cents,
        scale: 2,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_as_written() {
        let d = |s| Decimal::parse(s).unwrap();
        assert_eq!(d("60000"), Decimal::int(60000));
        assert_eq!(d("60000.5").cents(), Some(6000050));
        assert_eq!(d("1234.56").cents(), Some(123456));
        assert_eq!(d("1234.560").cents(), Some(123456));
        assert_eq!(d("1234.567").cents(), None);
        assert_eq!(d("0.30000000000000001").scale, 17);
        assert_eq!(
            d("12.5"),
            Decimal {
                units: 125,
                scale: 1
            }
        );
        assert_eq!(d("6e4"), Decimal::int(60000));
        assert_eq!(
            d("1.5e-3"),
            Decimal {
                units: 15,
                scale: 4
            }
        );
        assert_eq!(d(".5"), Decimal { units: 5, scale: 1 });
        assert_eq!(
            d("-2.50"),
            Decimal {
                units: -25,
                scale: 1
            }
        );
        assert_eq!(d("+3"), Decimal::int(3));
        for bad in ["", ".", "0x10", "1_000", ".inf", "abc", "1e", "--1"] {
            assert_eq!(Decimal::parse(bad), None, "{bad}");
        }
        assert_eq!(d("1.2").to_string(), "1.2");
        assert_eq!(d("-0.05").to_string(), "-0.05");
        assert_eq!(d("1.2").to_f64(), 1.2);
        assert_eq!(yuan(401237), "4012.37");
        assert_eq!(d("1.2").at_scale(3), Some(1200));
    }
}
