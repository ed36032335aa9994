//! Money: exact euros, named rounding rules, subsidies through the life cycle of the Awb
//! (Algemene wet bestuursrecht, title 4.2), phase-out schedules computed from a decision, the
//! Awb 4:51 check on abrupt stops, and the sources and categories of a working group's ledger.
//!
//! There is no floating point here. An amount is a whole number of cents ([`Euros`]); a share of
//! a subsidy is a ratio of integers ([`Fraction`]); rounding happens only where a named
//! [`Rounding`] rule is applied, and then on the exact ratio (two thirds of EUR 24,490 is rounded
//! from 48,980/3, not from 16,326.666…).
//!
//! The seed: in 2011 the council decided to phase out the 2012 subsidy of EUR 24,490 for the
//! three twinnings (one third each) over three years: 2013 two thirds (EUR 16,327), 2014 one
//! third (EUR 8,163), from 2015 nothing.

use crate::date::{MAX_YEAR, MIN_YEAR};
use crate::error::ValidationErrors;
use crate::partnership::choice;
use crate::text::Name;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

// ---------------------------------------------------------------------------------------------
// Exact amounts
// ---------------------------------------------------------------------------------------------

/// The largest amount a person may type: a hundred million euros (the same bound as
/// `activity::parse_euros`). Sums may exceed it; input may not.
pub const MAX_INPUT_EUROS: i64 = 100_000_000;

/// An exact amount of euros, held as whole cents. Signed, because ledgers and differences are;
/// [`Euros::parse`] refuses negative input, [`Euros::parse_signed`] accepts it.
///
/// Serialises as the integer number of cents (`1632700` for EUR 16,327.00); `Display` writes the
/// plain decimal (`16327.00`), as exports and logs want it. For people, use [`Euros::format`].
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Euros(i64);

/// How amounts are written for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Notation {
    /// `€ 16.327,00`, negative `€ -16.327,00`.
    Dutch,
    /// `€16,327.00`, negative `-€16,327.00`.
    English,
}

impl Euros {
    pub const ZERO: Euros = Euros(0);

    pub const fn from_cents(cents: i64) -> Self {
        Self(cents)
    }

    /// Whole euros (`Euros::from_whole(24_490)` is EUR 24,490.00).
    pub const fn from_whole(euros: i64) -> Self {
        Self(euros * 100)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// An exact decimal as cents: more than two decimals (after dropping trailing zeros) is
    /// refused, not rounded; round first with a [`Rounding`] rule when that is what is meant.
    pub fn from_decimal(d: Decimal) -> Result<Self, &'static str> {
        let d = d.normalize();
        if d.scale() > 2 {
            return Err("error-amount-cents");
        }
        let cents = d.mantissa() * 10_i128.pow(2 - d.scale());
        i64::try_from(cents)
            .map(Self)
            .map_err(|_| "error-amount-too-large")
    }

    /// An amount typed by a person, not negative. See [`Euros::parse_signed`] for the notations.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let (negative, cents) = read_amount(raw)?;
        if negative && cents != 0 {
            return Err("error-amount-negative");
        }
        Ok(Self(cents))
    }

    /// An amount typed by a person, possibly negative (a correction in a ledger).
    ///
    /// Dutch and English notation are both read, with or without the euro sign or `EUR`, before
    /// or after: `24.490`, `24,490.00`, `€ 16.327,00`, `1234,5`, `€ 25,-`, `-€ 5` and `€ -5`.
    /// Where both `.` and `,` occur, the last one is the decimal separator. Where only one occurs
    /// once and exactly three digits follow it after one to three digits not starting with 0
    /// (`24.490`, `24,490`), it separates thousands: nobody types tenths of a cent, and a Dutch
    /// `24.490` means twenty-four thousand. Otherwise a single separator is the decimal one
    /// (`1234,5`, `1234.567` with its three decimals refused).
    ///
    /// Errors: `error-required` (blank), `error-amount-invalid` (not a number, or thousands
    /// groups that are not of three), `error-amount-cents` (more than two decimals),
    /// `error-amount-too-large` (above [`MAX_INPUT_EUROS`]).
    pub fn parse_signed(raw: &str) -> Result<Self, &'static str> {
        let (negative, cents) = read_amount(raw)?;
        Ok(Self(if negative { -cents } else { cents }))
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    pub fn abs(self) -> Self {
        Self(self.0.abs())
    }

    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).map(Self)
    }

    pub fn checked_sub(self, other: Self) -> Option<Self> {
        self.0.checked_sub(other.0).map(Self)
    }

    /// The amount as people read it, always with cents.
    pub fn format(self, notation: Notation) -> String {
        let abs = self.0.unsigned_abs();
        let (whole, cents) = (abs / 100, abs % 100);
        let minus = if self.0 < 0 { "-" } else { "" };
        match notation {
            Notation::Dutch => format!("€ {minus}{},{cents:02}", group_thousands(whole, '.')),
            Notation::English => format!("{minus}€{}.{cents:02}", group_thousands(whole, ',')),
        }
    }

    /// `€ 16.327,00`.
    pub fn format_nl(self) -> String {
        self.format(Notation::Dutch)
    }

    /// `€16,327.00`.
    pub fn format_en(self) -> String {
        self.format(Notation::English)
    }
}

fn group_thousands(n: u64, separator: char) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

fn strip_minus(s: &str) -> (bool, &str) {
    match s.strip_prefix('-').or_else(|| s.strip_prefix('\u{2212}')) {
        Some(rest) => (true, rest),
        None => (false, s),
    }
}

fn strip_currency_prefix(s: &str) -> &str {
    if let Some(rest) = s.strip_prefix('€') {
        rest
    } else if s.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("eur")) {
        &s[3..]
    } else {
        s
    }
}

fn strip_currency_suffix(s: &str) -> &str {
    if let Some(rest) = s.strip_suffix('€') {
        rest
    } else if s.len() >= 3
        && s.get(s.len() - 3..)
            .is_some_and(|p| p.eq_ignore_ascii_case("eur"))
    {
        &s[..s.len() - 3]
    } else {
        s
    }
}

/// Reads a typed amount into (negative, cents); see [`Euros::parse_signed`].
fn read_amount(raw: &str) -> Result<(bool, i64), &'static str> {
    const INVALID: &str = "error-amount-invalid";
    // Spaces (also the non-breaking ones a copy from a spreadsheet brings) and the Swiss
    // apostrophe group thousands at most; they carry no meaning of their own.
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\'')
        .collect();
    if s.is_empty() {
        return Err("error-required");
    }
    // Sign and currency come in either order: "-€ 5", "€ -5".
    let (minus_before, rest) = strip_minus(&s);
    let rest = strip_currency_prefix(rest);
    let (minus_after, rest) = strip_minus(rest);
    if minus_before && minus_after {
        return Err(INVALID);
    }
    let rest = strip_currency_suffix(rest);
    // The Dutch way of writing whole euros: "€ 25,-" or "€ 25,--".
    let body = rest
        .strip_suffix(",--")
        .or_else(|| rest.strip_suffix(",-"))
        .or_else(|| rest.strip_suffix(".-"))
        .unwrap_or(rest);
    let bytes = body.as_bytes();
    let is_sep = |b: u8| b == b'.' || b == b',';
    if bytes.is_empty()
        || !bytes.iter().all(|&b| b.is_ascii_digit() || is_sep(b))
        || !bytes[0].is_ascii_digit()
        || !bytes[bytes.len() - 1].is_ascii_digit()
    {
        return Err(INVALID);
    }
    let seps: Vec<(usize, u8)> = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| is_sep(**b))
        .map(|(i, b)| (i, *b))
        .collect();
    let (integer, fraction): (Vec<&str>, &str) = match seps.as_slice() {
        [] => (vec![body], ""),
        [(i, _)] => {
            let (int, frac) = (&body[..*i], &body[i + 1..]);
            let thousands =
                frac.len() == 3 && (1..=3).contains(&int.len()) && !int.starts_with('0');
            if thousands {
                (vec![int, frac], "")
            } else {
                (vec![int], frac)
            }
        }
        [.., (last, decimal)] => {
            let others = &seps[..seps.len() - 1];
            let mixed = others.iter().any(|(_, b)| b != decimal);
            if mixed {
                // Both kinds: the last one is the decimal separator, all others the other kind.
                if others.iter().any(|(_, b)| b == decimal) {
                    return Err(INVALID);
                }
                (body[..*last].split(['.', ',']).collect(), &body[last + 1..])
            } else {
                // One kind, several times: thousands only.
                (body.split(['.', ',']).collect(), "")
            }
        }
    };
    if integer.len() > 1 {
        let first = integer[0];
        let grouped = (1..=3).contains(&first.len())
            && !(first.starts_with('0'))
            && integer[1..].iter().all(|g| g.len() == 3);
        if !grouped {
            return Err(INVALID);
        }
    }
    if fraction.len() > 2 {
        return Err("error-amount-cents");
    }
    let mut whole: i64 = 0;
    for d in integer.concat().bytes() {
        whole = whole
            .checked_mul(10)
            .and_then(|w| w.checked_add(i64::from(d - b'0')))
            .ok_or("error-amount-too-large")?;
    }
    if whole > MAX_INPUT_EUROS {
        return Err("error-amount-too-large");
    }
    let cents = match fraction.as_bytes() {
        [] => 0,
        [t] => i64::from(t - b'0') * 10,
        [t, h] => i64::from(t - b'0') * 10 + i64::from(h - b'0'),
        _ => unreachable!("checked above"),
    };
    let total = whole * 100 + cents;
    if total > MAX_INPUT_EUROS * 100 {
        return Err("error-amount-too-large");
    }
    Ok((minus_before || minus_after, total))
}

impl fmt::Display for Euros {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_decimal())
    }
}

impl From<Euros> for Decimal {
    fn from(e: Euros) -> Decimal {
        e.to_decimal()
    }
}

impl Add for Euros {
    type Output = Euros;
    fn add(self, rhs: Euros) -> Euros {
        Euros(self.0 + rhs.0)
    }
}

impl Sub for Euros {
    type Output = Euros;
    fn sub(self, rhs: Euros) -> Euros {
        Euros(self.0 - rhs.0)
    }
}

impl Neg for Euros {
    type Output = Euros;
    fn neg(self) -> Euros {
        Euros(-self.0)
    }
}

impl AddAssign for Euros {
    fn add_assign(&mut self, rhs: Euros) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Euros {
    fn sub_assign(&mut self, rhs: Euros) {
        self.0 -= rhs.0;
    }
}

impl Sum for Euros {
    fn sum<I: Iterator<Item = Euros>>(iter: I) -> Euros {
        iter.fold(Euros::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Euros> for Euros {
    fn sum<I: Iterator<Item = &'a Euros>>(iter: I) -> Euros {
        iter.copied().sum()
    }
}

// ---------------------------------------------------------------------------------------------
// Rounding
// ---------------------------------------------------------------------------------------------

/// A named rule turning an exact amount into a payable one. A decision or a regulation names
/// the rule; nothing is rounded without one. "Half up" is commercial rounding: a half goes away
/// from zero (2.5 → 3, -2.5 → -3). "Down" drops the rest towards zero (2.9 → 2, -2.9 → -2),
/// which for the amounts of a subsidy, never negative, is rounding down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rounding {
    /// To whole euros, a half euro up: the rule of the 2011 phase-out decision
    /// (16,326.67 → 16,327; 8,163.33 → 8,163).
    #[serde(rename = "whole-euros-half-up")]
    WholeEurosHalfUp,
    /// To whole euros, a half euro to the even euro (banker's rounding: 2.50 → 2, 3.50 → 4).
    #[serde(rename = "whole-euros-half-even")]
    WholeEurosHalfEven,
    /// To whole euros, the cents dropped (a ceiling that may not be exceeded).
    #[serde(rename = "whole-euros-down")]
    WholeEurosDown,
    /// To cents, half a cent up.
    #[serde(rename = "cents-half-up")]
    CentsHalfUp,
    /// To cents, half a cent to the even cent (what accounting software usually does).
    #[serde(rename = "cents-half-even")]
    CentsHalfEven,
    /// To cents, fractions of a cent dropped.
    #[serde(rename = "cents-down")]
    CentsDown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    HalfUp,
    HalfEven,
    Down,
}

impl Rounding {
    pub const ALL: &'static [Rounding] = &[
        Rounding::WholeEurosHalfUp,
        Rounding::WholeEurosHalfEven,
        Rounding::WholeEurosDown,
        Rounding::CentsHalfUp,
        Rounding::CentsHalfEven,
        Rounding::CentsDown,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Rounding::WholeEurosHalfUp => "whole-euros-half-up",
            Rounding::WholeEurosHalfEven => "whole-euros-half-even",
            Rounding::WholeEurosDown => "whole-euros-down",
            Rounding::CentsHalfUp => "cents-half-up",
            Rounding::CentsHalfEven => "cents-half-even",
            Rounding::CentsDown => "cents-down",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        match raw.trim() {
            "" => Err("error-required"),
            s => Self::ALL
                .iter()
                .copied()
                .find(|r| r.as_str() == s)
                .ok_or("error-choice-invalid"),
        }
    }

    /// What the rule rounds to: one euro or one cent.
    pub fn unit(self) -> Euros {
        match self {
            Rounding::WholeEurosHalfUp
            | Rounding::WholeEurosHalfEven
            | Rounding::WholeEurosDown => Euros(100),
            Rounding::CentsHalfUp | Rounding::CentsHalfEven | Rounding::CentsDown => Euros(1),
        }
    }

    fn mode(self) -> Mode {
        match self {
            Rounding::WholeEurosHalfUp | Rounding::CentsHalfUp => Mode::HalfUp,
            Rounding::WholeEurosHalfEven | Rounding::CentsHalfEven => Mode::HalfEven,
            Rounding::WholeEurosDown | Rounding::CentsDown => Mode::Down,
        }
    }

    /// Rounds an exact amount of euros by this rule.
    ///
    /// # Panics
    /// When the result does not fit in `i64` cents (beyond 92 million million euros); see
    /// [`Rounding::checked_apply`].
    pub fn apply(self, exact: Decimal) -> Euros {
        self.checked_apply(exact)
            .expect("an amount within 92 million million euros")
    }

    /// Rounds an exact amount of euros by this rule; `None` when it does not fit.
    pub fn checked_apply(self, exact: Decimal) -> Option<Euros> {
        // The decimal is mantissa / 10^scale euros, so mantissa * 100 / 10^scale cents; both
        // fit in i128 (mantissa < 2^96, scale <= 28).
        let numerator = exact.mantissa().checked_mul(100)?;
        let denominator = 10_i128.checked_pow(exact.scale())?;
        self.apply_ratio(numerator, denominator)
    }

    /// Rounds `numerator / denominator` cents (denominator positive) by this rule, exactly.
    fn apply_ratio(self, numerator: i128, denominator: i128) -> Option<Euros> {
        debug_assert!(denominator > 0);
        let unit = i128::from(self.unit().0);
        let d = denominator.checked_mul(unit)?;
        let (q, r) = (numerator.div_euclid(d), numerator.rem_euclid(d));
        let units = match self.mode() {
            Mode::Down if r != 0 && numerator < 0 => q + 1,
            Mode::Down => q,
            Mode::HalfUp | Mode::HalfEven => match (2 * r).cmp(&d) {
                std::cmp::Ordering::Less => q,
                std::cmp::Ordering::Greater => q + 1,
                std::cmp::Ordering::Equal => match self.mode() {
                    Mode::HalfUp if numerator >= 0 => q + 1,
                    Mode::HalfUp => q,
                    _ if q.rem_euclid(2) == 0 => q,
                    _ => q + 1,
                },
            },
        };
        i64::try_from(units.checked_mul(unit)?).ok().map(Euros)
    }
}

impl fmt::Display for Rounding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// ---------------------------------------------------------------------------------------------
// Phase-out schedules
// ---------------------------------------------------------------------------------------------

/// A share of a base amount between nothing and all of it: numerator / denominator, kept in
/// lowest terms so that equal shares compare equal (2/3 == 4/6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Fraction {
    numerator: u32,
    denominator: u32,
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Fraction {
    pub const ZERO: Fraction = Fraction {
        numerator: 0,
        denominator: 1,
    };
    pub const ONE: Fraction = Fraction {
        numerator: 1,
        denominator: 1,
    };

    /// Errors: `error-fraction-invalid` (denominator zero), `error-fraction-above-one`.
    pub fn new(numerator: u32, denominator: u32) -> Result<Self, &'static str> {
        if denominator == 0 {
            return Err("error-fraction-invalid");
        }
        if numerator > denominator {
            return Err("error-fraction-above-one");
        }
        let g = gcd(u64::from(numerator), u64::from(denominator)) as u32;
        Ok(Self {
            numerator: numerator / g,
            denominator: denominator / g,
        })
    }

    /// `2/3`, or a decimal `0,5` / `0.25` / `1`.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("error-required");
        }
        if let Some((n, d)) = s.split_once('/') {
            let n: u32 = n.trim().parse().map_err(|_| "error-fraction-invalid")?;
            let d: u32 = d.trim().parse().map_err(|_| "error-fraction-invalid")?;
            return Self::new(n, d);
        }
        let ok = s
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',');
        let d: Decimal = s
            .replace(',', ".")
            .parse()
            .ok()
            .filter(|_| ok)
            .ok_or("error-fraction-invalid")?;
        let d = d.normalize();
        if d > Decimal::ONE {
            return Err("error-fraction-above-one");
        }
        // At most nine decimals, so that 10^scale fits a u32.
        let denominator = 10_u32
            .checked_pow(d.scale())
            .ok_or("error-fraction-invalid")?;
        let numerator = u32::try_from(d.mantissa()).map_err(|_| "error-fraction-invalid")?;
        Self::new(numerator, denominator)
    }

    pub fn numerator(&self) -> u32 {
        self.numerator
    }

    pub fn denominator(&self) -> u32 {
        self.denominator
    }

    fn less_than(&self, other: &Fraction) -> bool {
        u64::from(self.numerator) * u64::from(other.denominator)
            < u64::from(other.numerator) * u64::from(self.denominator)
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}

/// How a base amount is phased out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "fractions", rename_all = "kebab-case")]
pub enum PhaseOutMethod {
    /// Year k of n after the base year gets base × (n − k) / n: over three years 2/3, 1/3, 0.
    LinearToZero,
    /// One fraction of the base for each year after the base year, as the decision lists them
    /// (`[2/3, 1/3, 0]` is the linear schedule over three years). Never increasing. A last
    /// fraction above zero is allowed: a subsidy may be reduced to a lower level, not stopped.
    FixedFractions(Vec<Fraction>),
}

/// How a yearly total is divided over the partnerships it is for: one whole-number weight per
/// partnership, in the order the caller gives them (the parts come back in that order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Split(Vec<u32>);

impl Split {
    pub const MAX_PARTS: usize = 1000;
    pub const MAX_WEIGHT: u32 = 1_000_000;

    /// Equal shares: the default (the seed's three twinnings get a third each).
    /// Errors as [`Split::weighted`].
    pub fn equal(parts: usize) -> Result<Self, &'static str> {
        Self::weighted(vec![1; parts])
    }

    /// Errors: `error-split-empty`, `error-split-too-many` (more than [`Split::MAX_PARTS`]),
    /// `error-split-weight-invalid` (a weight of 0 or above [`Split::MAX_WEIGHT`]).
    pub fn weighted(weights: Vec<u32>) -> Result<Self, &'static str> {
        if weights.is_empty() {
            Err("error-split-empty")
        } else if weights.len() > Self::MAX_PARTS {
            Err("error-split-too-many")
        } else if weights.iter().any(|&w| w == 0 || w > Self::MAX_WEIGHT) {
            Err("error-split-weight-invalid")
        } else {
            Ok(Self(weights))
        }
    }

    pub fn weights(&self) -> &[u32] {
        &self.0
    }

    /// Divides `total` by the weights so that the parts add up to exactly `total`, in steps of
    /// `unit` (one euro or one cent: the unit of the rounding rule that made the total).
    ///
    /// Largest remainder: every part first gets its exact share rounded down to the unit; the
    /// units left over (fewer than the number of parts) go one each to the parts with the
    /// largest fractional remainders, and between equal remainders to the part given first.
    /// EUR 24,490 over three equal parts in whole euros is 8,164 + 8,163 + 8,163: the first
    /// partnership gets the remaining euro.
    ///
    /// A total that is not a whole number of units is split in cents instead; a negative total
    /// is split as its opposite and the parts negated.
    pub fn apply(&self, total: Euros, unit: Euros) -> Vec<Euros> {
        if total.is_negative() {
            return self.apply(-total, unit).into_iter().map(Neg::neg).collect();
        }
        let unit = if unit.0 > 0 && total.0 % unit.0 == 0 {
            unit.0
        } else {
            1
        };
        let t = i128::from(total.0 / unit);
        let sum: i128 = self.0.iter().map(|&w| i128::from(w)).sum();
        let mut parts: Vec<i128> = self.0.iter().map(|&w| t * i128::from(w) / sum).collect();
        let remainders: Vec<i128> = self.0.iter().map(|&w| t * i128::from(w) % sum).collect();
        let left = usize::try_from(t - parts.iter().sum::<i128>()).expect("fewer than parts");
        let mut order: Vec<usize> = (0..parts.len()).collect();
        // Remainders share the denominator `sum`, so comparing numerators compares the
        // fractions; the sort is stable, so equal remainders keep the order given.
        order.sort_by_key(|&i| std::cmp::Reverse(remainders[i]));
        for &i in order.iter().take(left) {
            parts[i] += 1;
        }
        parts
            .into_iter()
            .map(|p| Euros(i64::try_from(p * i128::from(unit)).expect("a part of the total")))
            .collect()
    }
}

/// A phase-out as decided: base amount and year, number of years, method, split, rounding.
/// Built only valid by [`PhaseOut::new`]; [`PhaseOut::compute`] produces the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseOut {
    base: Euros,
    base_year: i16,
    years: u8,
    method: PhaseOutMethod,
    split: Split,
    rounding: Rounding,
}

/// One year of a schedule: its share of the base, the total by the rounding rule, and the parts
/// per partnership (in the order of the split) that add up to exactly the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleYear {
    pub year: i16,
    pub fraction: Fraction,
    pub total: Euros,
    pub parts: Vec<Euros>,
}

/// The computed schedule: the base year and every year after it through base year + years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseOutSchedule {
    pub rounding: Rounding,
    pub years: Vec<ScheduleYear>,
}

impl PhaseOutSchedule {
    /// The total per year, as [`abrupt_stop`] takes it.
    pub fn totals(&self) -> BTreeMap<i16, Euros> {
        self.years.iter().map(|y| (y.year, y.total)).collect()
    }
}

impl PhaseOut {
    pub const MAX_YEARS: u8 = 50;

    /// Errors (field, key): `base` `error-amount-negative` / `error-amount-too-large`;
    /// `years` `error-phase-out-years` (not 1 to [`PhaseOut::MAX_YEARS`]); `baseYear`
    /// `error-year-out-of-range` (the schedule must end by 2200); `fractions`
    /// `error-phase-out-fractions-count` (not one per year) / `error-phase-out-fractions-increasing`.
    pub fn new(
        base: Euros,
        base_year: i16,
        years: u8,
        method: PhaseOutMethod,
        split: Split,
        rounding: Rounding,
    ) -> Result<Self, ValidationErrors> {
        let mut e = ValidationErrors::default();
        if base.is_negative() {
            e.push("base", "error-amount-negative");
        } else if base.0 > MAX_INPUT_EUROS * 100 {
            e.push("base", "error-amount-too-large");
        }
        if !(MIN_YEAR..=MAX_YEAR).contains(&base_year)
            || i32::from(base_year) + i32::from(years) > i32::from(MAX_YEAR)
        {
            e.push("baseYear", "error-year-out-of-range");
        }
        if years == 0 || years > Self::MAX_YEARS {
            e.push("years", "error-phase-out-years");
        }
        if let PhaseOutMethod::FixedFractions(fractions) = &method {
            if fractions.len() != usize::from(years) {
                e.push("fractions", "error-phase-out-fractions-count");
            } else if fractions.windows(2).any(|w| w[0].less_than(&w[1])) {
                e.push("fractions", "error-phase-out-fractions-increasing");
            }
        }
        e.finish(|| Self {
            base,
            base_year,
            years,
            method,
            split,
            rounding,
        })
    }

    pub fn base(&self) -> Euros {
        self.base
    }

    pub fn base_year(&self) -> i16 {
        self.base_year
    }

    pub fn years(&self) -> u8 {
        self.years
    }

    pub fn method(&self) -> &PhaseOutMethod {
        &self.method
    }

    pub fn split(&self) -> &Split {
        &self.split
    }

    pub fn rounding(&self) -> Rounding {
        self.rounding
    }

    /// The share of the base in year `k` after the base year (0 is the base year itself: all
    /// of it; k above the number of years: what the last year had).
    pub fn fraction(&self, k: u8) -> Fraction {
        if k == 0 {
            return Fraction::ONE;
        }
        let k = k.min(self.years);
        match &self.method {
            PhaseOutMethod::LinearToZero => {
                Fraction::new(u32::from(self.years - k), u32::from(self.years)).expect("k <= years")
            }
            PhaseOutMethod::FixedFractions(f) => f[usize::from(k) - 1],
        }
    }

    /// The schedule from the base year through base year + years.
    ///
    /// Each year's total is base × fraction, rounded by the rule from the exact ratio; the base
    /// year too, so a base with cents under a whole-euro rule shows rounded. The total is then
    /// divided by [`Split::apply`] in the rule's unit, so the parts add up to the total exactly.
    pub fn compute(&self) -> PhaseOutSchedule {
        let years = (0..=self.years)
            .map(|k| {
                let fraction = self.fraction(k);
                let total = self
                    .rounding
                    .apply_ratio(
                        i128::from(self.base.0) * i128::from(fraction.numerator),
                        i128::from(fraction.denominator),
                    )
                    .expect("a share of a bounded base");
                ScheduleYear {
                    year: self.base_year + i16::from(k),
                    fraction,
                    total,
                    parts: self.split.apply(total, self.rounding.unit()),
                }
            })
            .collect();
        PhaseOutSchedule {
            rounding: self.rounding,
            years,
        }
    }
}

/// Awb article 4:51: a subsidy that ran three or more consecutive years may be stopped only
/// with a reasonable term. This flags the mechanical sign of its absence, for a person to judge.
///
/// `granted` holds the amount granted per year; a year absent from it counts as zero up to
/// `known_through` (normally the current budget year), and years after both `known_through`
/// and the last year in the map are unknown, not stopped. A run is a stretch of consecutive years
/// above zero; it was phased out when its last year was lower than the year before it (a reduced
/// intermediate year, as in the seed: 24,490, 16,327, 8,163, then nothing).
///
/// Returns the first year without subsidy after the latest run of three or more years that
/// stopped without being reduced first; `None` when there is none.
pub fn abrupt_stop(granted: &BTreeMap<i16, Euros>, known_through: i16) -> Option<i16> {
    let (&first, _) = granted.first_key_value()?;
    let (&last, _) = granted.last_key_value()?;
    let mut found = None;
    let mut run: Vec<Euros> = Vec::new();
    for year in first..=last.max(known_through) {
        let amount = granted.get(&year).copied().unwrap_or(Euros::ZERO);
        if amount.is_positive() {
            run.push(amount);
            continue;
        }
        if let [.., before, final_year] = run.as_slice()
            && run.len() >= 3
            && final_year >= before
        {
            found = Some(year);
        }
        run.clear();
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Subsidies and the Awb life cycle
// ---------------------------------------------------------------------------------------------

choice! {
    /// What a subsidy is. An in-kind contribution (the Christmas tree from Hranice, placed at
    /// the municipality's cost) is valued in euros but reported apart from cash: see
    /// [`SubsidyKind::is_cash`].
    SubsidyKind {
        YearlyBudget = "yearly-budget",
        OneOffGrant = "one-off-grant",
        IncidentalActivity = "incidental-activity",
        EuGrant = "eu-grant",
        InKind = "in-kind",
    }
}

impl SubsidyKind {
    /// Whether money changes hands; an in-kind contribution takes no advances and its
    /// settlement moves no money.
    pub fn is_cash(&self) -> bool {
        !matches!(self, SubsidyKind::InKind)
    }
}

/// The document behind a step: a decision number, a letter's reference, a file number.
/// Errors as a name: `error-required`, `error-too-long`, `error-control-characters`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct DocumentRef(String);

impl DocumentRef {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        Name::parse(raw).map(|n| Self(n.as_str().to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocumentRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

choice! {
    /// The kinds of step in the life cycle, in their order.
    StepKind {
        Application = "application",
        Refusal = "refusal",
        GrantDecision = "grant-decision",
        AdvancePayment = "advance-payment",
        ReportDue = "report-due",
        ReportReceived = "report-received",
        Settlement = "settlement",
        Closing = "closing",
    }
}

impl StepKind {
    /// The position in the life cycle; a refusal stands where the grant decision would.
    fn rank(self) -> u8 {
        match self {
            StepKind::Application => 1,
            StepKind::Refusal | StepKind::GrantDecision => 2,
            StepKind::AdvancePayment => 3,
            StepKind::ReportDue => 4,
            StepKind::ReportReceived => 5,
            StepKind::Settlement => 6,
            StepKind::Closing => 7,
        }
    }
}

choice! {
    /// Where a subsidy stands. `New` is before anything is recorded.
    Stage {
        New = "new",
        Applied = "applied",
        Refused = "refused",
        Granted = "granted",
        ReportDue = "report-due",
        ReportReceived = "report-received",
        Settled = "settled",
        Closed = "closed",
    }
}

impl Stage {
    /// The steps that may follow. Advances are optional and repeatable while granted: zero or
    /// more, before the report falls due.
    pub fn next(&self) -> &'static [StepKind] {
        match self {
            Stage::New => &[StepKind::Application],
            Stage::Applied => &[StepKind::GrantDecision, StepKind::Refusal],
            Stage::Granted => &[StepKind::AdvancePayment, StepKind::ReportDue],
            Stage::ReportDue => &[StepKind::ReportReceived],
            Stage::ReportReceived => &[StepKind::Settlement],
            Stage::Settled => &[StepKind::Closing],
            Stage::Refused | Stage::Closed => &[],
        }
    }

    /// Refused and closed subsidies take no more steps.
    pub fn is_finished(&self) -> bool {
        self.next().is_empty()
    }

    fn rank(self) -> u8 {
        match self {
            Stage::New => 0,
            Stage::Applied => 1,
            Stage::Refused | Stage::Granted => 2,
            Stage::ReportDue => 4,
            Stage::ReportReceived => 5,
            Stage::Settled => 6,
            Stage::Closed => 7,
        }
    }
}

/// One step of the life cycle, each dated and with the document it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "kebab-case")]
pub enum SubsidyStep {
    /// The application (aanvraag), with the amount asked for.
    Application {
        date: Date,
        document: DocumentRef,
        requested: Euros,
    },
    /// The application refused: the life cycle ends here. Should an objection succeed, the grant
    /// is recorded as a new subsidy referring to the decision on the objection.
    Refusal {
        date: Date,
        document: DocumentRef,
    },
    /// The grant decision (verlening): the most that may be paid, and its conditions.
    GrantDecision {
        date: Date,
        document: DocumentRef,
        amount: Euros,
        conditions: Vec<String>,
    },
    /// An advance (voorschot) paid on the grant.
    AdvancePayment {
        date: Date,
        document: DocumentRef,
        amount: Euros,
    },
    /// The accountability report (verantwoording) is asked for: recorded when the subsidised
    /// period ends, with the deadline `due_on`.
    ReportDue {
        date: Date,
        document: DocumentRef,
        due_on: Date,
    },
    ReportReceived {
        date: Date,
        document: DocumentRef,
    },
    /// The settlement (vaststelling): the final amount. Above the grant only when a decision
    /// allows it (`allowed_by_decision` names that decision).
    Settlement {
        date: Date,
        document: DocumentRef,
        amount: Euros,
        allowed_by_decision: Option<DocumentRef>,
    },
    /// The final payment or reclaim of the difference between settlement and advances, or the
    /// file closed when they are equal; the amount follows from the earlier steps.
    Closing {
        date: Date,
        document: DocumentRef,
    },
}

impl SubsidyStep {
    pub fn kind(&self) -> StepKind {
        match self {
            SubsidyStep::Application { .. } => StepKind::Application,
            SubsidyStep::Refusal { .. } => StepKind::Refusal,
            SubsidyStep::GrantDecision { .. } => StepKind::GrantDecision,
            SubsidyStep::AdvancePayment { .. } => StepKind::AdvancePayment,
            SubsidyStep::ReportDue { .. } => StepKind::ReportDue,
            SubsidyStep::ReportReceived { .. } => StepKind::ReportReceived,
            SubsidyStep::Settlement { .. } => StepKind::Settlement,
            SubsidyStep::Closing { .. } => StepKind::Closing,
        }
    }

    pub fn date(&self) -> Date {
        match self {
            SubsidyStep::Application { date, .. }
            | SubsidyStep::Refusal { date, .. }
            | SubsidyStep::GrantDecision { date, .. }
            | SubsidyStep::AdvancePayment { date, .. }
            | SubsidyStep::ReportDue { date, .. }
            | SubsidyStep::ReportReceived { date, .. }
            | SubsidyStep::Settlement { date, .. }
            | SubsidyStep::Closing { date, .. } => *date,
        }
    }

    pub fn document(&self) -> &DocumentRef {
        match self {
            SubsidyStep::Application { document, .. }
            | SubsidyStep::Refusal { document, .. }
            | SubsidyStep::GrantDecision { document, .. }
            | SubsidyStep::AdvancePayment { document, .. }
            | SubsidyStep::ReportDue { document, .. }
            | SubsidyStep::ReportReceived { document, .. }
            | SubsidyStep::Settlement { document, .. }
            | SubsidyStep::Closing { document, .. } => document,
        }
    }
}

/// What remains after the settlement: paid to the recipient, reclaimed from it, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "amount", rename_all = "kebab-case")]
pub enum FinalBalance {
    /// The settlement exceeds the advances: the difference is paid.
    Payment(Euros),
    /// The advances exceed the settlement: the difference is reclaimed.
    Reclaim(Euros),
    /// Settlement and advances are equal (always so in kind): closed without money moving.
    Even,
}

impl FinalBalance {
    pub fn between(settled: Euros, advances_paid: Euros) -> Self {
        match settled.cmp(&advances_paid) {
            std::cmp::Ordering::Greater => FinalBalance::Payment(settled - advances_paid),
            std::cmp::Ordering::Less => FinalBalance::Reclaim(advances_paid - settled),
            std::cmp::Ordering::Equal => FinalBalance::Even,
        }
    }
}

/// Why a step was refused. [`StepError::field`] and [`StepError::key`] name the form field and
/// the translation key; `From<StepError> for ValidationErrors` does both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepError {
    /// Refused or closed: nothing follows.
    Finished {
        stage: Stage,
    },
    /// The step comes later: an earlier one is missing.
    Skipped {
        stage: Stage,
        step: StepKind,
    },
    /// The step belongs to an earlier part of the life cycle, or was taken already.
    Backwards {
        stage: Stage,
        step: StepKind,
    },
    /// Dated before the step before it.
    DateBeforePrevious {
        previous: Date,
    },
    /// The report falls due before it is asked for.
    DueBeforeDate,
    RequestedNegative,
    GrantNegative,
    /// A grant of nothing is a refusal; record it as one.
    GrantZero,
    AdvanceNotPositive,
    /// The advances would add up to more than the grant.
    AdvancesAboveGrant {
        granted: Euros,
        advanced: Euros,
    },
    /// In kind, nothing is advanced.
    InKindAdvance,
    SettlementNegative,
    /// Above the grant without a decision allowing it.
    SettlementAboveGrant {
        granted: Euros,
    },
}

impl StepError {
    pub fn field(&self) -> &'static str {
        match self {
            StepError::Finished { .. }
            | StepError::Skipped { .. }
            | StepError::Backwards { .. } => "step",
            StepError::DateBeforePrevious { .. } => "date",
            StepError::DueBeforeDate => "dueOn",
            StepError::RequestedNegative => "requested",
            StepError::GrantNegative
            | StepError::GrantZero
            | StepError::AdvanceNotPositive
            | StepError::AdvancesAboveGrant { .. }
            | StepError::InKindAdvance
            | StepError::SettlementNegative
            | StepError::SettlementAboveGrant { .. } => "amount",
        }
    }

    pub fn key(&self) -> &'static str {
        match self {
            StepError::Finished { .. } => "error-subsidy-finished",
            StepError::Skipped { .. } => "error-subsidy-step-skipped",
            StepError::Backwards { .. } => "error-subsidy-step-backwards",
            StepError::DateBeforePrevious { .. } => "error-subsidy-date-before-previous",
            StepError::DueBeforeDate => "error-subsidy-due-before-date",
            StepError::RequestedNegative => "error-amount-negative",
            StepError::GrantNegative => "error-subsidy-grant-negative",
            StepError::GrantZero => "error-subsidy-grant-zero",
            StepError::AdvanceNotPositive => "error-subsidy-advance-not-positive",
            StepError::AdvancesAboveGrant { .. } => "error-subsidy-advances-above-grant",
            StepError::InKindAdvance => "error-subsidy-in-kind-advance",
            StepError::SettlementNegative => "error-subsidy-settlement-negative",
            StepError::SettlementAboveGrant { .. } => "error-subsidy-settlement-above-grant",
        }
    }
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field(), self.key())
    }
}

impl std::error::Error for StepError {}

impl From<StepError> for ValidationErrors {
    fn from(e: StepError) -> Self {
        ValidationErrors::single(e.field(), e.key())
    }
}

/// A subsidy's life cycle: its kind and the steps taken so far, which can only have been
/// taken in order (application → grant decision or refusal → advances, zero or more → report
/// due → report received → settlement → closing), each dated on or after the one before.
///
/// Every step is required except the advances; a refusal ends the life cycle. Small subsidies
/// that the Awb lets settle without a report (4:44) still record the steps, with the grant
/// decision as the document for each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubsidyLifeCycle {
    kind: SubsidyKind,
    stage: Stage,
    steps: Vec<SubsidyStep>,
}

impl SubsidyLifeCycle {
    /// Nothing recorded yet.
    pub fn new(kind: SubsidyKind) -> Self {
        Self {
            kind,
            stage: Stage::New,
            steps: Vec::new(),
        }
    }

    /// Rebuilds a stored life cycle; the error gives the position of the first step refused.
    pub fn replay(
        kind: SubsidyKind,
        steps: impl IntoIterator<Item = SubsidyStep>,
    ) -> Result<Self, (usize, StepError)> {
        steps
            .into_iter()
            .enumerate()
            .try_fold(Self::new(kind), |lc, (i, step)| {
                lc.apply(step).map_err(|e| (i, e))
            })
    }

    pub fn kind(&self) -> SubsidyKind {
        self.kind
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    pub fn steps(&self) -> &[SubsidyStep] {
        &self.steps
    }

    /// The amount granted, once decided.
    pub fn granted(&self) -> Option<Euros> {
        self.steps.iter().find_map(|s| match s {
            SubsidyStep::GrantDecision { amount, .. } => Some(*amount),
            _ => None,
        })
    }

    /// The advances paid so far.
    pub fn advances_paid(&self) -> Euros {
        self.steps
            .iter()
            .filter_map(|s| match s {
                SubsidyStep::AdvancePayment { amount, .. } => Some(*amount),
                _ => None,
            })
            .sum()
    }

    /// The final amount, once settled.
    pub fn settled(&self) -> Option<Euros> {
        self.steps.iter().find_map(|s| match s {
            SubsidyStep::Settlement { amount, .. } => Some(*amount),
            _ => None,
        })
    }

    /// What the closing pays or reclaims, once settled; in kind always even.
    pub fn balance(&self) -> Option<FinalBalance> {
        let settled = self.settled()?;
        Some(if self.kind.is_cash() {
            FinalBalance::between(settled, self.advances_paid())
        } else {
            FinalBalance::Even
        })
    }

    /// The report is asked for and not in by its deadline.
    pub fn report_overdue(&self, today: Date) -> bool {
        self.stage == Stage::ReportDue
            && self
                .steps
                .iter()
                .any(|s| matches!(s, SubsidyStep::ReportDue { due_on, .. } if *due_on < today))
    }

    /// The life cycle with `step` taken, or why it cannot be. Checks, in this order: the life
    /// cycle is not finished; the step is one that may follow now (else skipped or backwards);
    /// its date is not before the latest step's; its amounts.
    pub fn apply(&self, step: SubsidyStep) -> Result<Self, StepError> {
        let kind = step.kind();
        if !self.stage.next().contains(&kind) {
            return Err(if self.stage.is_finished() {
                StepError::Finished { stage: self.stage }
            } else if kind.rank() <= self.stage.rank() {
                StepError::Backwards {
                    stage: self.stage,
                    step: kind,
                }
            } else {
                StepError::Skipped {
                    stage: self.stage,
                    step: kind,
                }
            });
        }
        if let Some(previous) = self.steps.last().map(SubsidyStep::date)
            && step.date() < previous
        {
            return Err(StepError::DateBeforePrevious { previous });
        }
        let granted = self.granted().unwrap_or(Euros::ZERO);
        let stage = match &step {
            SubsidyStep::Application { requested, .. } => {
                if requested.is_negative() {
                    return Err(StepError::RequestedNegative);
                }
                Stage::Applied
            }
            SubsidyStep::Refusal { .. } => Stage::Refused,
            SubsidyStep::GrantDecision { amount, .. } => {
                if amount.is_negative() {
                    return Err(StepError::GrantNegative);
                }
                if amount.is_zero() {
                    return Err(StepError::GrantZero);
                }
                Stage::Granted
            }
            SubsidyStep::AdvancePayment { amount, .. } => {
                if !self.kind.is_cash() {
                    return Err(StepError::InKindAdvance);
                }
                if !amount.is_positive() {
                    return Err(StepError::AdvanceNotPositive);
                }
                let advanced = self.advances_paid() + *amount;
                if advanced > granted {
                    return Err(StepError::AdvancesAboveGrant { granted, advanced });
                }
                Stage::Granted
            }
            SubsidyStep::ReportDue { date, due_on, .. } => {
                if due_on < date {
                    return Err(StepError::DueBeforeDate);
                }
                Stage::ReportDue
            }
            SubsidyStep::ReportReceived { .. } => Stage::ReportReceived,
            SubsidyStep::Settlement {
                amount,
                allowed_by_decision,
                ..
            } => {
                if amount.is_negative() {
                    return Err(StepError::SettlementNegative);
                }
                if *amount > granted && allowed_by_decision.is_none() {
                    return Err(StepError::SettlementAboveGrant { granted });
                }
                Stage::Settled
            }
            SubsidyStep::Closing { .. } => Stage::Closed,
        };
        let mut steps = self.steps.clone();
        steps.push(step);
        Ok(Self {
            kind: self.kind,
            stage,
            steps,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Income, expenses and the ledger
// ---------------------------------------------------------------------------------------------

choice! {
    /// Where income comes from.
    IncomeSource {
        MunicipalSubsidy = "municipal-subsidy",
        OneOffGrant = "one-off-grant",
        CulturalSubsidy = "cultural-subsidy",
        EuGrant = "eu-grant",
        EntrepreneursFund = "entrepreneurs-fund",
        Sponsor = "sponsor",
        OwnFundraising = "own-fundraising",
        ParticipantsContributions = "participants-contributions",
        HuygenskwartierProject = "huygenskwartier-project",
        Other = "other",
    }
}

impl IncomeSource {
    /// Money from the municipality's budget: the yearly subsidy, one-off grants (the 2015
    /// jubilee) and the subsidy for cultural activities.
    pub fn municipal(&self) -> bool {
        matches!(
            self,
            IncomeSource::MunicipalSubsidy
                | IncomeSource::OneOffGrant
                | IncomeSource::CulturalSubsidy
        )
    }

    /// Private money, the numerator of the leverage: the entrepreneurs' fund, sponsors, own
    /// fundraising and what participants pay. EU grants, the Huygenskwartier project and other
    /// income are neither municipal nor private and count on neither side.
    pub fn private(&self) -> bool {
        matches!(
            self,
            IncomeSource::EntrepreneursFund
                | IncomeSource::Sponsor
                | IncomeSource::OwnFundraising
                | IncomeSource::ParticipantsContributions
        )
    }
}

choice! {
    /// What an expense was for.
    ExpenseCategory {
        Travel = "travel",
        Accommodation = "accommodation",
        Catering = "catering",
        Gifts = "gifts",
        Venue = "venue",
        Material = "material",
        Other = "other",
    }
}

/// Which way money goes: in from a source, or out for a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "flow", content = "of", rename_all = "kebab-case")]
pub enum Flow {
    Income(IncomeSource),
    Expense(ExpenseCategory),
}

impl Flow {
    /// A transaction's (non-negative) amount as it counts in the balance: income adds, an
    /// expense subtracts.
    pub fn signed(&self, amount: Euros) -> Euros {
        match self {
            Flow::Income(_) => amount,
            Flow::Expense(_) => -amount,
        }
    }
}

/// One line of a ledger: its date and signed amount (income positive, expenses negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LedgerEntry {
    pub date: Date,
    pub amount: Euros,
}

/// The balance at the end of day `at`: every entry dated on or before it, in any order.
pub fn balance_at<'a>(entries: impl IntoIterator<Item = &'a LedgerEntry>, at: Date) -> Euros {
    entries
        .into_iter()
        .filter(|e| e.date <= at)
        .map(|e| e.amount)
        .sum()
}

/// The leverage: private euros per municipal euro, `None` when there is no municipal money (zero
/// or, after corrections, less). The quotient is a `Decimal`, exact where the division ends
/// (1.5) and to 28 significant digits where it does not (1/3); round it only for display.
pub fn leverage(private: Euros, municipal: Euros) -> Option<Decimal> {
    if !municipal.is_positive() {
        return None;
    }
    Decimal::from(private.0).checked_div(Decimal::from(municipal.0))
}

/// The leverage of a set of income, by [`IncomeSource::municipal`] and [`IncomeSource::private`].
pub fn leverage_of(income: impl IntoIterator<Item = (IncomeSource, Euros)>) -> Option<Decimal> {
    let (mut private, mut municipal) = (Euros::ZERO, Euros::ZERO);
    for (source, amount) in income {
        if source.municipal() {
            municipal += amount;
        } else if source.private() {
            private += amount;
        }
    }
    leverage(private, municipal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn eur(whole: i64) -> Euros {
        Euros::from_whole(whole)
    }

    fn doc(s: &str) -> DocumentRef {
        DocumentRef::parse(s).unwrap()
    }

    #[test]
    fn amounts_are_read_the_dutch_and_the_english_way() {
        for (raw, cents) in [
            ("24.490", 2_449_000),
            ("24,490", 2_449_000),
            ("24,490.00", 2_449_000),
            ("24.490,00", 2_449_000),
            ("€ 16.327,00", 1_632_700),
            ("€16,327.00", 1_632_700),
            ("1234,5", 123_450),
            ("1234.5", 123_450),
            ("8163", 816_300),
            ("€ 25,-", 2_500),
            ("6.250,50", 625_050),
            ("1.234.567", 123_456_700),
            ("1 234,56 €", 123_456),
            ("EUR 10.000", 1_000_000),
            ("0,99", 99),
            ("0", 0),
        ] {
            assert_eq!(Euros::parse(raw), Ok(Euros::from_cents(cents)), "{raw}");
        }
    }

    #[test]
    fn bad_amounts_get_their_own_keys() {
        for (raw, key) in [
            ("", "error-required"),
            ("  ", "error-required"),
            ("twaalf", "error-amount-invalid"),
            ("€", "error-amount-invalid"),
            ("12a", "error-amount-invalid"),
            ("1e5", "error-amount-invalid"),
            ("12.34.567", "error-amount-invalid"),
            ("1.234,56,7", "error-amount-invalid"),
            ("5.", "error-amount-invalid"),
            ("--5", "error-amount-invalid"),
            ("-5", "error-amount-negative"),
            ("€ -16.327,00", "error-amount-negative"),
            ("1,005.123", "error-amount-cents"),
            ("1234,567", "error-amount-cents"),
            ("0.125", "error-amount-cents"),
            ("1.2345", "error-amount-cents"),
            ("100.000.000,01", "error-amount-too-large"),
            ("99999999999999999999999", "error-amount-too-large"),
        ] {
            assert_eq!(Euros::parse(raw), Err(key), "{raw:?}");
        }
        assert_eq!(Euros::parse("100.000.000"), Ok(eur(100_000_000)));
    }

    #[test]
    fn corrections_in_a_ledger_may_be_negative() {
        assert_eq!(Euros::parse_signed("-€ 5,50"), Ok(Euros::from_cents(-550)));
        assert_eq!(Euros::parse_signed("€ -16.327"), Ok(eur(-16_327)));
        assert_eq!(Euros::parse_signed("−12"), Ok(eur(-12)));
        assert_eq!(Euros::parse("-0"), Ok(Euros::ZERO));
    }

    #[test]
    fn amounts_are_written_the_dutch_and_the_english_way() {
        assert_eq!(eur(16_327).format_nl(), "€ 16.327,00");
        assert_eq!(eur(16_327).format_en(), "€16,327.00");
        assert_eq!(
            Euros::from_cents(-123_456_789).format_nl(),
            "€ -1.234.567,89"
        );
        assert_eq!(Euros::from_cents(-5).format_en(), "-€0.05");
        assert_eq!(eur(999).format_nl(), "€ 999,00");
        assert_eq!(eur(8_163).to_string(), "8163.00");
        assert_eq!(
            Euros::from_decimal("16327.10".parse().unwrap()),
            Ok(Euros::from_cents(1_632_710))
        );
        assert_eq!(
            Euros::from_decimal("0.001".parse().unwrap()),
            Err("error-amount-cents")
        );
    }

    #[test]
    fn each_rounding_rule_rounds_as_named() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let c = Euros::from_cents;
        for (rule, input, cents) in [
            (Rounding::WholeEurosHalfUp, "2.50", 300),
            (Rounding::WholeEurosHalfUp, "2.49", 200),
            (Rounding::WholeEurosHalfUp, "-2.50", -300),
            (Rounding::WholeEurosHalfEven, "2.50", 200),
            (Rounding::WholeEurosHalfEven, "3.50", 400),
            (Rounding::WholeEurosHalfEven, "-2.50", -200),
            (Rounding::WholeEurosHalfEven, "2.51", 300),
            (Rounding::WholeEurosDown, "2.99", 200),
            (Rounding::WholeEurosDown, "-2.99", -200),
            (Rounding::CentsHalfUp, "0.125", 13),
            (Rounding::CentsHalfUp, "-0.125", -13),
            (Rounding::CentsHalfEven, "0.125", 12),
            (Rounding::CentsHalfEven, "0.135", 14),
            (Rounding::CentsDown, "0.129", 12),
            (Rounding::CentsDown, "7", 700),
        ] {
            assert_eq!(rule.apply(d(input)), c(cents), "{rule} {input}");
        }
        // Two thirds of the seed's base, from the exact quotient.
        let two_thirds = d("24490") * d("2") / d("3");
        assert_eq!(Rounding::WholeEurosHalfUp.apply(two_thirds), eur(16_327));
        assert_eq!(Rounding::CentsHalfEven.apply(two_thirds), c(1_632_667));
        for r in Rounding::ALL {
            assert_eq!(Rounding::parse(r.as_str()), Ok(*r));
        }
        assert_eq!(Rounding::parse("up"), Err("error-choice-invalid"));
    }

    fn seed_phase_out() -> PhaseOut {
        PhaseOut::new(
            eur(24_490),
            2012,
            3,
            PhaseOutMethod::LinearToZero,
            Split::equal(3).unwrap(),
            Rounding::WholeEurosHalfUp,
        )
        .unwrap()
    }

    #[test]
    fn the_2011_decision_phases_the_subsidy_out_in_three_years() {
        let schedule = seed_phase_out().compute();
        // Computed here independently: round(a / b) half-up for positive a is
        // floor((2a + b) / 2b).
        let half_up = |a: i64, b: i64| (2 * a + b) / (2 * b);
        let expected = [
            (2012, 24_490),
            (2013, half_up(24_490 * 2, 3)),
            (2014, half_up(24_490, 3)),
            (2015, 0),
        ];
        assert_eq!(expected[1].1, 16_327);
        assert_eq!(expected[2].1, 8_163);
        let totals: Vec<(i16, i64)> = schedule
            .years
            .iter()
            .map(|y| (y.year, y.total.cents() / 100))
            .collect();
        assert_eq!(totals, expected);
        assert!(schedule.years.iter().all(|y| y.total.cents() % 100 == 0));
        // One third each, the remaining euro to the partnership given first.
        let parts: Vec<Vec<Euros>> = schedule.years.iter().map(|y| y.parts.clone()).collect();
        assert_eq!(
            parts,
            [
                vec![eur(8_164), eur(8_163), eur(8_163)],
                vec![eur(5_443), eur(5_442), eur(5_442)],
                vec![eur(2_721), eur(2_721), eur(2_721)],
                vec![Euros::ZERO; 3],
            ]
        );
        assert_eq!(schedule.years[1].fraction, Fraction::new(2, 3).unwrap());
    }

    #[test]
    fn fixed_fractions_reproduce_the_linear_schedule() {
        let fractions = ["2/3", "1/3", "0"]
            .map(|f| Fraction::parse(f).unwrap())
            .to_vec();
        let fixed = PhaseOut::new(
            eur(24_490),
            2012,
            3,
            PhaseOutMethod::FixedFractions(fractions),
            Split::equal(3).unwrap(),
            Rounding::WholeEurosHalfUp,
        )
        .unwrap();
        assert_eq!(fixed.compute().years, seed_phase_out().compute().years);
        assert_eq!(Fraction::parse("0,5"), Fraction::new(1, 2));
        assert_eq!(Fraction::parse("4/6"), Fraction::new(2, 3));
        assert_eq!(Fraction::parse("3/2"), Err("error-fraction-above-one"));
        assert_eq!(Fraction::parse("1.5"), Err("error-fraction-above-one"));
        assert_eq!(Fraction::parse("1/0"), Err("error-fraction-invalid"));
        assert_eq!(Fraction::parse("-1/2"), Err("error-fraction-invalid"));
        assert_eq!(Fraction::parse("half"), Err("error-fraction-invalid"));
    }

    #[test]
    fn the_remainder_goes_to_the_largest_fractional_parts_then_the_first() {
        // 10 euros by 1:1:1:2 → exact 2, 2, 2, 4: nothing left over.
        let split = Split::weighted(vec![1, 1, 1, 2]).unwrap();
        assert_eq!(
            split.apply(eur(10), Rounding::WholeEurosHalfUp.unit()),
            [eur(2), eur(2), eur(2), eur(4)]
        );
        // 11 euros by 1:2:2 → exact 2.2, 4.4, 4.4: one euro left, to the first of the two 0.4s.
        let split = Split::weighted(vec![1, 2, 2]).unwrap();
        assert_eq!(split.apply(eur(11), eur(1)), [eur(2), eur(5), eur(4)]);
        // 10 euros by 3:1:1 → exact 6, 2, 2; 7 euros → 4.2, 1.4, 1.4: one left, to the 0.4.
        let split = Split::weighted(vec![3, 1, 1]).unwrap();
        assert_eq!(split.apply(eur(7), eur(1)), [eur(4), eur(2), eur(1)]);
        // Cents: 1.00 over three → 0.34, 0.33, 0.33.
        assert_eq!(
            Split::equal(3).unwrap().apply(eur(1), Euros::from_cents(1)),
            [34, 33, 33].map(Euros::from_cents)
        );
        // A total that is not whole euros is split in cents.
        assert_eq!(
            Split::equal(2)
                .unwrap()
                .apply(Euros::from_cents(101), eur(1)),
            [51, 50].map(Euros::from_cents)
        );
        assert_eq!(
            Split::equal(2).unwrap().apply(eur(-3), eur(1)),
            [eur(-2), eur(-1)]
        );
        assert_eq!(Split::weighted(vec![]), Err("error-split-empty"));
        assert_eq!(
            Split::weighted(vec![1, 0]),
            Err("error-split-weight-invalid")
        );
        assert_eq!(Split::equal(1001), Err("error-split-too-many"));
    }

    #[test]
    fn a_phase_out_is_checked_before_it_is_computed() {
        let bad = PhaseOut::new(
            eur(-1),
            2190,
            20,
            PhaseOutMethod::FixedFractions(vec![Fraction::new(1, 3).unwrap(), Fraction::ONE]),
            Split::equal(3).unwrap(),
            Rounding::CentsHalfEven,
        )
        .unwrap_err();
        let fields: Vec<_> = bad.0.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            fields,
            [
                ("base", "error-amount-negative"),
                ("baseYear", "error-year-out-of-range"),
                ("fractions", "error-phase-out-fractions-count"),
            ]
        );
        let increasing = PhaseOut::new(
            eur(1),
            2012,
            2,
            PhaseOutMethod::FixedFractions(vec![Fraction::new(1, 3).unwrap(), Fraction::ONE]),
            Split::equal(3).unwrap(),
            Rounding::CentsHalfEven,
        )
        .unwrap_err();
        assert!(increasing.has("fractions"));
        let none = PhaseOut::new(
            Euros::from_cents(MAX_INPUT_EUROS * 100 + 1),
            2012,
            0,
            PhaseOutMethod::LinearToZero,
            Split::equal(3).unwrap(),
            Rounding::CentsHalfEven,
        )
        .unwrap_err();
        assert_eq!(
            none.0.iter().map(|e| e.key).collect::<Vec<_>>(),
            ["error-amount-too-large", "error-phase-out-years"]
        );
    }

    #[test]
    fn the_seeds_phased_out_subsidy_is_not_flagged() {
        let mut granted = seed_phase_out().compute().totals();
        assert_eq!(abrupt_stop(&granted, 2017), None);
        // Nor with the years before 2012 at the full amount.
        for y in 2005..2012 {
            granted.insert(y, eur(24_490));
        }
        assert_eq!(abrupt_stop(&granted, 2017), None);
    }

    #[test]
    fn three_years_then_nothing_is_flagged() {
        let granted: BTreeMap<i16, Euros> = [(2012, 10_000), (2013, 10_000), (2014, 10_000)]
            .map(|(y, a)| (y, eur(a)))
            .into();
        let mut with_zero = granted.clone();
        with_zero.insert(2015, Euros::ZERO);
        assert_eq!(abrupt_stop(&with_zero, 2015), Some(2015));
        // Absent counts as zero up to the known year...
        assert_eq!(abrupt_stop(&granted, 2016), Some(2015));
        // ...but not beyond it: 2015 is not decided yet.
        assert_eq!(abrupt_stop(&granted, 2014), None);
        // Two years are no run; a rise in the last year is no phase-out.
        let two: BTreeMap<i16, Euros> = [(2013, eur(10_000)), (2014, eur(10_000))].into();
        assert_eq!(abrupt_stop(&two, 2016), None);
        let rising: BTreeMap<i16, Euros> =
            [(2012, eur(5_000)), (2013, eur(4_000)), (2014, eur(6_000))].into();
        assert_eq!(abrupt_stop(&rising, 2015), Some(2015));
        assert_eq!(abrupt_stop(&BTreeMap::new(), 2015), None);
    }

    /// The 2012 subsidy as it might have run: the numbers the seed gives, illustrative dates.
    fn seed_steps() -> Vec<SubsidyStep> {
        vec![
            SubsidyStep::Application {
                date: date(2011, 9, 30),
                document: doc("AV-2011-17"),
                requested: eur(24_490),
            },
            SubsidyStep::GrantDecision {
                date: date(2011, 12, 15),
                document: doc("BV-2011-204"),
                amount: eur(24_490),
                conditions: vec!["Een derde per stedenband".into()],
            },
            SubsidyStep::AdvancePayment {
                date: date(2012, 1, 15),
                document: doc("BV-2011-204/1"),
                amount: eur(12_245),
            },
            SubsidyStep::AdvancePayment {
                date: date(2012, 7, 15),
                document: doc("BV-2011-204/2"),
                amount: eur(10_000),
            },
            SubsidyStep::ReportDue {
                date: date(2012, 12, 31),
                document: doc("BV-2011-204"),
                due_on: date(2013, 7, 1),
            },
            SubsidyStep::ReportReceived {
                date: date(2013, 6, 20),
                document: doc("Jaarverslag 2012"),
            },
        ]
    }

    fn settle(amount: Euros, decision: Option<&str>) -> SubsidyStep {
        SubsidyStep::Settlement {
            date: date(2013, 9, 1),
            document: doc("VS-2013-8"),
            amount,
            allowed_by_decision: decision.map(doc),
        }
    }

    #[test]
    fn the_2012_subsidy_goes_through_its_life_cycle() {
        let lc = SubsidyLifeCycle::replay(SubsidyKind::YearlyBudget, seed_steps()).unwrap();
        assert_eq!(lc.stage(), Stage::ReportReceived);
        assert!(!lc.report_overdue(date(2013, 8, 1)));
        assert_eq!(lc.advances_paid(), eur(22_245));
        let settled = lc.apply(settle(eur(24_490), None)).unwrap();
        assert_eq!(settled.balance(), Some(FinalBalance::Payment(eur(2_245))));
        let closed = settled
            .apply(SubsidyStep::Closing {
                date: date(2013, 9, 15),
                document: doc("BET-2013-311"),
            })
            .unwrap();
        assert_eq!(closed.stage(), Stage::Closed);
        assert_eq!(closed.steps().len(), 8);
        let again = closed.apply(settle(eur(1), None));
        assert_eq!(
            again.unwrap_err(),
            StepError::Finished {
                stage: Stage::Closed
            }
        );
    }

    #[test]
    fn the_difference_is_paid_reclaimed_or_nothing() {
        let lc = SubsidyLifeCycle::replay(SubsidyKind::YearlyBudget, seed_steps()).unwrap();
        let balance = |e: Euros| lc.apply(settle(e, None)).unwrap().balance().unwrap();
        assert_eq!(balance(eur(20_000)), FinalBalance::Reclaim(eur(2_245)));
        assert_eq!(balance(eur(22_245)), FinalBalance::Even);
        assert_eq!(balance(Euros::ZERO), FinalBalance::Reclaim(eur(22_245)));
        // Above the grant only with a decision saying so.
        assert_eq!(
            lc.apply(settle(eur(25_000), None)).unwrap_err(),
            StepError::SettlementAboveGrant {
                granted: eur(24_490)
            }
        );
        let above = lc
            .apply(settle(eur(25_000), Some("Raadsbesluit 2013-41")))
            .unwrap();
        assert_eq!(above.balance(), Some(FinalBalance::Payment(eur(2_755))));
        assert_eq!(
            lc.apply(settle(eur(-1), None)).unwrap_err(),
            StepError::SettlementNegative
        );
    }

    #[test]
    fn a_step_cannot_be_skipped_repeated_or_taken_backwards() {
        let steps = seed_steps();
        let applied =
            SubsidyLifeCycle::replay(SubsidyKind::OneOffGrant, steps[..1].to_vec()).unwrap();
        // From the application straight to an advance, a report or a settlement: skipped.
        for step in &steps[2..] {
            assert_eq!(
                applied.apply(step.clone()).unwrap_err(),
                StepError::Skipped {
                    stage: Stage::Applied,
                    step: step.kind()
                }
            );
        }
        // A second application: backwards.
        assert!(matches!(
            applied.apply(steps[0].clone()),
            Err(StepError::Backwards { .. })
        ));
        let due = SubsidyLifeCycle::replay(SubsidyKind::OneOffGrant, steps[..5].to_vec()).unwrap();
        assert_eq!(due.stage(), Stage::ReportDue);
        assert!(due.report_overdue(date(2013, 7, 2)));
        // No advance after the report is due, no second grant.
        for step in &steps[1..3] {
            assert_eq!(
                due.apply(step.clone()).unwrap_err().key(),
                "error-subsidy-step-backwards"
            );
        }
        let err = SubsidyLifeCycle::replay(
            SubsidyKind::OneOffGrant,
            [steps[0].clone(), steps[4].clone()],
        )
        .unwrap_err();
        assert_eq!(err.0, 1);
        assert_eq!(err.1.key(), "error-subsidy-step-skipped");
        let first = SubsidyLifeCycle::new(SubsidyKind::EuGrant).apply(steps[1].clone());
        assert!(matches!(first, Err(StepError::Skipped { .. })));
    }

    #[test]
    fn a_refusal_ends_the_life_cycle() {
        let steps = seed_steps();
        let refused = SubsidyLifeCycle::replay(
            SubsidyKind::IncidentalActivity,
            [
                steps[0].clone(),
                SubsidyStep::Refusal {
                    date: date(2011, 11, 1),
                    document: doc("BW-2011-99"),
                },
            ],
        )
        .unwrap();
        assert!(refused.stage().is_finished());
        assert_eq!(refused.balance(), None);
        assert_eq!(
            refused.apply(steps[1].clone()).unwrap_err(),
            StepError::Finished {
                stage: Stage::Refused
            }
        );
    }

    #[test]
    fn dates_and_amounts_are_checked_at_each_step() {
        let steps = seed_steps();
        let applied =
            SubsidyLifeCycle::replay(SubsidyKind::YearlyBudget, steps[..1].to_vec()).unwrap();
        let grant = |amount: Euros, on: Date| SubsidyStep::GrantDecision {
            date: on,
            document: doc("BV"),
            amount,
            conditions: vec![],
        };
        assert_eq!(
            applied.apply(grant(eur(1), date(2011, 9, 29))).unwrap_err(),
            StepError::DateBeforePrevious {
                previous: date(2011, 9, 30)
            }
        );
        let same_day = applied.apply(grant(eur(1), date(2011, 9, 30)));
        assert!(same_day.is_ok());
        assert_eq!(
            applied
                .apply(grant(eur(-1), date(2011, 10, 1)))
                .unwrap_err(),
            StepError::GrantNegative
        );
        let err = applied
            .apply(grant(Euros::ZERO, date(2011, 10, 1)))
            .unwrap_err();
        assert_eq!(err, StepError::GrantZero);
        let granted =
            SubsidyLifeCycle::replay(SubsidyKind::YearlyBudget, steps[..3].to_vec()).unwrap();
        let advance = |amount: Euros| SubsidyStep::AdvancePayment {
            date: date(2012, 2, 1),
            document: doc("V"),
            amount,
        };
        assert_eq!(
            granted.apply(advance(eur(12_246))).unwrap_err(),
            StepError::AdvancesAboveGrant {
                granted: eur(24_490),
                advanced: eur(24_491)
            }
        );
        assert!(granted.apply(advance(eur(12_245))).is_ok());
        assert_eq!(
            granted.apply(advance(Euros::ZERO)).unwrap_err(),
            StepError::AdvanceNotPositive
        );
        let due = SubsidyStep::ReportDue {
            date: date(2012, 12, 31),
            document: doc("BV"),
            due_on: date(2012, 12, 30),
        };
        assert_eq!(granted.apply(due).unwrap_err(), StepError::DueBeforeDate);
        let bad_request =
            SubsidyLifeCycle::new(SubsidyKind::YearlyBudget).apply(SubsidyStep::Application {
                date: date(2011, 1, 1),
                document: doc("A"),
                requested: eur(-5),
            });
        let errors: ValidationErrors = bad_request.unwrap_err().into();
        assert_eq!(errors.0[0].key, "error-amount-negative");
        assert_eq!(DocumentRef::parse(" "), Err("error-required"));
    }

    #[test]
    fn the_tree_is_valued_but_no_money_moves() {
        let steps = seed_steps();
        let granted = SubsidyLifeCycle::replay(SubsidyKind::InKind, steps[..2].to_vec()).unwrap();
        assert_eq!(
            granted.apply(steps[2].clone()).unwrap_err(),
            StepError::InKindAdvance
        );
        let lc = SubsidyLifeCycle::replay(
            SubsidyKind::InKind,
            [steps[0].clone(), steps[1].clone()]
                .into_iter()
                .chain(steps[4..].iter().cloned())
                .chain([settle(eur(6_500), None)]),
        )
        .unwrap();
        assert_eq!(lc.balance(), Some(FinalBalance::Even));
        assert!(!SubsidyKind::InKind.is_cash());
    }

    #[test]
    fn municipal_money_is_the_subsidy_the_one_off_grant_and_the_cultural_subsidy() {
        let municipal: Vec<_> = IncomeSource::ALL
            .iter()
            .filter(|s| s.municipal())
            .copied()
            .collect();
        assert_eq!(
            municipal,
            [
                IncomeSource::MunicipalSubsidy,
                IncomeSource::OneOffGrant,
                IncomeSource::CulturalSubsidy
            ]
        );
        assert!(
            IncomeSource::ALL
                .iter()
                .all(|s| !(s.municipal() && s.private()))
        );
        assert_eq!(
            IncomeSource::parse("huygenskwartier-project"),
            Ok(IncomeSource::HuygenskwartierProject)
        );
        assert_eq!(ExpenseCategory::parse("gifts"), Ok(ExpenseCategory::Gifts));
        assert_eq!(ExpenseCategory::ALL.len(), 7);
        assert_eq!(IncomeSource::ALL.len(), 10);
    }

    #[test]
    fn the_balance_at_a_date_counts_every_entry_up_to_that_day() {
        let income = Flow::Income(IncomeSource::OwnFundraising);
        let travel = Flow::Expense(ExpenseCategory::Travel);
        let entries = [
            LedgerEntry {
                date: date(2017, 3, 1),
                amount: income.signed(eur(1_200)),
            },
            LedgerEntry {
                date: date(2017, 5, 10),
                amount: travel.signed(Euros::from_cents(45_050)),
            },
            LedgerEntry {
                date: date(2017, 1, 15),
                amount: income.signed(eur(300)),
            },
        ];
        assert_eq!(balance_at(&entries, date(2016, 12, 31)), Euros::ZERO);
        assert_eq!(balance_at(&entries, date(2017, 3, 1)), eur(1_500));
        assert_eq!(
            balance_at(&entries, date(2017, 5, 10)),
            Euros::from_cents(104_950)
        );
    }

    #[test]
    fn leverage_is_private_euros_per_municipal_euro() {
        assert_eq!(
            leverage(eur(15_000), eur(10_000)),
            Some("1.5".parse().unwrap())
        );
        assert_eq!(leverage(eur(15_000), Euros::ZERO), None);
        assert_eq!(leverage(Euros::ZERO, eur(10)), Some(Decimal::ZERO));
        let third = leverage(eur(1), eur(3)).unwrap();
        assert_eq!(third.round_dp(4), "0.3333".parse::<Decimal>().unwrap());
        let income = [
            (IncomeSource::MunicipalSubsidy, eur(8_000)),
            (IncomeSource::CulturalSubsidy, eur(2_000)),
            (IncomeSource::Sponsor, eur(2_500)),
            (IncomeSource::OwnFundraising, eur(2_500)),
            (IncomeSource::EuGrant, eur(50_000)),
        ];
        assert_eq!(leverage_of(income), Some("0.5".parse().unwrap()));
    }

    fn any_rounding() -> impl Strategy<Value = Rounding> {
        proptest::sample::select(Rounding::ALL)
    }

    proptest! {
        #[test]
        fn parts_add_up_exactly_to_each_years_total(
            base in 0_i64..10_000_000_000,
            years in 1_u8..10,
            weights in proptest::collection::vec(1_u32..100, 1..6),
            rounding in any_rounding(),
            fixed in proptest::option::of(proptest::collection::vec(0_u32..=1000, 9)),
        ) {
            let method = match fixed {
                None => PhaseOutMethod::LinearToZero,
                Some(mut per_mille) => {
                    per_mille.truncate(usize::from(years));
                    per_mille.sort_unstable_by(|a, b| b.cmp(a));
                    PhaseOutMethod::FixedFractions(
                        per_mille.into_iter().map(|n| Fraction::new(n, 1000).unwrap()).collect(),
                    )
                }
            };
            let linear = method == PhaseOutMethod::LinearToZero;
            let n = weights.len();
            let phase_out = PhaseOut::new(
                Euros::from_cents(base), 2012, years, method, Split::weighted(weights).unwrap(),
                rounding,
            ).unwrap();
            let schedule = phase_out.compute();
            prop_assert_eq!(schedule.years.len(), usize::from(years) + 1);
            prop_assert_eq!(schedule.years[0].year, 2012);
            for pair in schedule.years.windows(2) {
                prop_assert!(pair[1].total <= pair[0].total);
            }
            for y in &schedule.years {
                prop_assert_eq!(y.parts.len(), n);
                prop_assert_eq!(y.parts.iter().sum::<Euros>(), y.total);
                prop_assert!(y.parts.iter().all(|p| !p.is_negative()));
                prop_assert_eq!(y.total.cents() % rounding.unit().cents(), 0);
                prop_assert!(y.parts.iter().all(|p| p.cents() % rounding.unit().cents() == 0));
                // Within one unit of the exact total.
                let exact = i128::from(base) * i128::from(y.fraction.numerator())
                    / i128::from(y.fraction.denominator());
                prop_assert!((i128::from(y.total.cents()) - exact).abs()
                    <= i128::from(rounding.unit().cents()));
            }
            if linear {
                prop_assert_eq!(schedule.years.last().unwrap().total, Euros::ZERO);
            }
        }

        #[test]
        fn amounts_written_either_way_read_back_the_same(cents in 0_i64..=10_000_000_000) {
            let e = Euros::from_cents(cents);
            prop_assert_eq!(Euros::parse(&e.format_nl()), Ok(e));
            prop_assert_eq!(Euros::parse(&e.format_en()), Ok(e));
            prop_assert_eq!(Euros::parse(&e.to_string()), Ok(e));
        }

        #[test]
        fn no_sequence_of_steps_skips_a_stage(
            proposals in proptest::collection::vec(
                (any::<bool>(), 0_usize..8, -3_i32..40, -50_000_i64..3_000_000, any::<bool>()),
                0..60,
            ),
        ) {
            // The two paths of the life cycle, written out apart from the code under test.
            const GRANTED: [Stage; 7] = [
                Stage::New, Stage::Applied, Stage::Granted, Stage::ReportDue,
                Stage::ReportReceived, Stage::Settled, Stage::Closed,
            ];
            const REFUSED: [Stage; 3] = [Stage::New, Stage::Applied, Stage::Refused];
            let mut lc = SubsidyLifeCycle::new(SubsidyKind::YearlyBudget);
            let mut on = date(2011, 1, 1);
            let mut visited = vec![Stage::New];
            for (follow, pick, days, cents, allowed) in proposals {
                // Half the time propose a step that may follow, so runs get deep; else anything.
                let kind = match lc.stage().next() {
                    next if follow && !next.is_empty() => next[pick % next.len()],
                    _ => StepKind::ALL[pick],
                };
                on = on.checked_add(jiff::Span::new().days(days)).unwrap();
                let document = doc("D");
                let amount = Euros::from_cents(cents);
                let step = match kind {
                    StepKind::Application =>
                        SubsidyStep::Application { date: on, document, requested: amount },
                    StepKind::Refusal => SubsidyStep::Refusal { date: on, document },
                    StepKind::GrantDecision => SubsidyStep::GrantDecision {
                        date: on, document, amount, conditions: vec![],
                    },
                    StepKind::AdvancePayment =>
                        SubsidyStep::AdvancePayment { date: on, document, amount },
                    StepKind::ReportDue => SubsidyStep::ReportDue {
                        date: on, document, due_on: on.checked_add(jiff::Span::new().days(90)).unwrap(),
                    },
                    StepKind::ReportReceived => SubsidyStep::ReportReceived { date: on, document },
                    StepKind::Settlement => SubsidyStep::Settlement {
                        date: on, document, amount,
                        allowed_by_decision: allowed.then(|| doc("B")),
                    },
                    StepKind::Closing => SubsidyStep::Closing { date: on, document },
                };
                let before = lc.stage();
                match lc.apply(step) {
                    Ok(next) => {
                        prop_assert!(before.next().contains(&kind));
                        if next.stage() != before {
                            visited.push(next.stage());
                        }
                        lc = next;
                    }
                    Err(e) => {
                        // A refused step changes nothing.
                        prop_assert_eq!(lc.stage(), before);
                        if !before.next().contains(&kind) {
                            prop_assert_eq!(e.field(), "step");
                        }
                    }
                }
            }
            // Every stage reached was reached through each one before it.
            let path: &[Stage] = if visited.contains(&Stage::Refused) { &REFUSED } else { &GRANTED };
            prop_assert!(visited.len() <= path.len());
            prop_assert_eq!(&visited[..], &path[..visited.len()]);
            // And what was accepted holds together.
            let dates: Vec<Date> = lc.steps().iter().map(SubsidyStep::date).collect();
            prop_assert!(dates.windows(2).all(|w| w[0] <= w[1]));
            if let Some(granted) = lc.granted() {
                prop_assert!(granted.is_positive());
                prop_assert!(lc.advances_paid() <= granted);
            }
            let replayed = SubsidyLifeCycle::replay(lc.kind(), lc.steps().to_vec());
            prop_assert_eq!(replayed, Ok(lc));
        }
    }
}
