//! Numbers as readers see them, on pages and in bulletins: two decimals exactly as the exports
//! round, hundredths, percentages, numbers as written.

use crate::score::round2;

/// Two decimals, as the exports round (round2 first, so `{:.2}` never re-rounds a half).
pub fn f2(x: f64) -> String {
    // Fast path: the value rounded to hundredths is an exact integer of cents, and printing
    // it with integer arithmetic gives the same text as `{:.2}` of `round2(x)`.
    let c = (x * 100.0).round();
    if c.is_finite() && c.abs() < 1e15 {
        return c2(c as i64);
    }
    let s = format!("{:.2}", round2(x));
    if s == "-0.00" {
        "0.00".into()
    } else {
        s
    }
}

/// Hundredths as a two-decimal number.
pub fn c2(c: i64) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(8);
    if c < 0 {
        s.push('-');
    }
    let a = c.unsigned_abs();
    let _ = write!(s, "{}.", a / 100);
    let f = (a % 100) as u8;
    s.push((b'0' + f / 10) as char);
    s.push((b'0' + f % 10) as char);
    s
}

/// A number as written (shortest form: 98.4, 1200).
pub fn num(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// A setting given as a ratio (e.g. a cap of 1.2) as a short percentage: `120%`, `92.5%`.
pub fn setting_pct(r: f64) -> String {
    let s = f2(r * 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}%")
}

/// A rate (0..1) as a percentage with two decimals.
pub fn pct(r: f64) -> String {
    format!("{}%", f2(r * 100.0))
}

/// A rate as a percentage, or `—`.
pub fn opt_pct(r: Option<f64>) -> String {
    r.map(pct).unwrap_or_else(|| "—".into())
}

/// Two decimals, or `—`.
pub fn opt_f2(x: Option<f64>) -> String {
    x.map(f2).unwrap_or_else(|| "—".into())
}
