//! Time zones as live blogs print them beside a time ("10.32am BST",
//! "4:53 p.m. ET", "16:53 CEST", "…T20:00Z", "+01:00"), and the offset
//! from UTC each one stands for.
//!
//! Most names fix the offset (BST is always UTC+1). The US names that do
//! not say standard or daylight time ("ET", "PT") follow the US rule:
//! daylight time from the second Sunday of March to the first Sunday of
//! November, 2am local time. No tz database is consulted.

use super::byline::{civil_from_days, days_from_civil};

/// A zone printed beside a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// A fixed offset from UTC, in minutes east.
    Fixed(i32),
    /// A US zone named without standard or daylight ("ET"): its standard
    /// offset, one hour more in daylight time.
    UsGeneric(i32),
}

impl Zone {
    /// The zone a word names (lower case), if it names one.
    pub fn named(word: &str) -> Option<Zone> {
        let fixed = |hours: f32| Some(Zone::Fixed((hours * 60.0) as i32));
        match word {
            "z" | "utc" | "gmt" | "wet" => fixed(0.0),
            "bst" | "cet" | "west" => fixed(1.0),
            "cest" | "eet" => fixed(2.0),
            "eest" | "msk" => fixed(3.0),
            "edt" => fixed(-4.0),
            "est" | "cdt" => fixed(-5.0),
            "cst" => fixed(-6.0),
            "mst" => fixed(-7.0),
            "mdt" => fixed(-6.0),
            "pst" => fixed(-8.0),
            "pdt" => fixed(-7.0),
            "ist" => fixed(5.5),
            "jst" | "kst" => fixed(9.0),
            "aest" => fixed(10.0),
            "aedt" => fixed(11.0),
            "et" => Some(Zone::UsGeneric(-300)),
            "ct" => Some(Zone::UsGeneric(-360)),
            "mt" => Some(Zone::UsGeneric(-420)),
            "pt" => Some(Zone::UsGeneric(-480)),
            _ => None,
        }
    }

    /// The zone shifted by `minutes` ("GMT+1").
    pub fn shifted(self, minutes: i32) -> Zone {
        match self {
            Zone::Fixed(m) => Zone::Fixed(m + minutes),
            Zone::UsGeneric(m) => Zone::Fixed(m + minutes),
        }
    }

    /// Minutes east of UTC at a local time (minutes since 1970-01-01,
    /// local clock).
    pub fn offset_at_local(self, local: i64) -> i32 {
        match self {
            Zone::Fixed(m) => m,
            Zone::UsGeneric(standard) if us_daylight_time(local) => standard + 60,
            Zone::UsGeneric(standard) => standard,
        }
    }
}

/// Whether a local US clock time falls in daylight saving time.
fn us_daylight_time(local: i64) -> bool {
    let (year, _, _) = civil_from_days(local.div_euclid(1440));
    let starts = nth_sunday(year, 3, 2) * 1440 + 120;
    let ends = nth_sunday(year, 11, 1) * 1440 + 120;
    (starts..ends).contains(&local)
}

/// Day number of the `n`th Sunday of a month.
fn nth_sunday(year: i32, month: u32, n: i64) -> i64 {
    let first = days_from_civil(year, month, 1);
    // Day 0 (1970-01-01) was a Thursday: weekday 0 is Sunday.
    let weekday = (first + 4).rem_euclid(7);
    first + (7 - weekday) % 7 + 7 * (n - 1)
}

/// `+HH:MM` or `-HH:MM` for an offset in minutes.
pub fn format_offset(offset: i32) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let abs = offset.unsigned_abs();
    format!("{sign}{:02}:{:02}", abs / 60, abs % 60)
}

/// An offset printed as `+01:00`, `+0100`, `-05` or `+1`, in minutes.
pub fn parse_offset(text: &str) -> Option<i32> {
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours <= 14 && minutes < 60).then_some(sign * (hours * 60 + minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(y: i32, m: u32, d: u32, hour: i64) -> i64 {
        days_from_civil(y, m, d) * 1440 + hour * 60
    }

    #[test]
    fn us_zones_follow_daylight_saving() {
        let et = Zone::named("et").unwrap();
        // 2024: daylight time from 10 March to 3 November.
        assert_eq!(et.offset_at_local(local(2024, 3, 10, 1)), -300);
        assert_eq!(et.offset_at_local(local(2024, 3, 10, 3)), -240);
        assert_eq!(et.offset_at_local(local(2024, 11, 1, 16)), -240);
        assert_eq!(et.offset_at_local(local(2024, 11, 3, 3)), -300);
        assert_eq!(et.offset_at_local(local(2024, 1, 18, 12)), -300);
    }

    #[test]
    fn named_and_numeric_offsets() {
        assert_eq!(Zone::named("bst"), Some(Zone::Fixed(60)));
        assert_eq!(Zone::named("cest"), Some(Zone::Fixed(120)));
        assert_eq!(Zone::named("ist"), Some(Zone::Fixed(330)));
        assert_eq!(Zone::named("news"), None);
        assert_eq!(parse_offset("+01:00"), Some(60));
        assert_eq!(parse_offset("-0430"), Some(-270));
        assert_eq!(parse_offset("+1"), Some(60));
        assert_eq!(parse_offset("+25:00"), None);
        assert_eq!(format_offset(-270), "-04:30");
        assert_eq!(format_offset(0), "+00:00");
    }
}
