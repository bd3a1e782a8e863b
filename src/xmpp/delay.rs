//! When a message was really sent: XEP-0203 `<delay/>` stamps in XEP-0082 date-time format.
//! Messages stored offline or replayed arrive late; the stamp keeps their original time.

use super::ns;
use super::xml::Element;

/// Milliseconds since 1970-01-01T00:00:00Z, as the browser's `Date` counts them.
pub type UnixMillis = i64;

/// The stamp of the first `<delay/>` child, if it is a valid XEP-0082 date-time.
pub fn stamp(message: &Element) -> Option<UnixMillis> {
    let delay = message.get_child("delay", ns::DELAY)?;
    parse_datetime(delay.get_attr("stamp")?)
}

/// Parses `CCYY-MM-DDThh:mm:ss[.sss](Z|±hh:mm)` (XEP-0082 §3.3).
pub fn parse_datetime(text: &str) -> Option<UnixMillis> {
    let (date, rest) = text.split_once('T')?;
    let mut date = date.splitn(3, '-');
    let year: i64 = number(date.next()?, 4)?;
    let month: i64 = number(date.next()?, 2)?;
    let day: i64 = number(date.next()?, 2)?;

    let (time, offset_minutes) = if let Some(time) = rest.strip_suffix('Z') {
        (time, 0)
    } else {
        let split = rest.rfind(['+', '-'])?;
        let (time, zone) = rest.split_at(split);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let (hours, minutes) = zone[1..].split_once(':')?;
        let (hours, minutes) = (number(hours, 2)?, number(minutes, 2)?);
        if hours > 23 || minutes > 59 {
            return None;
        }
        (time, sign * (hours * 60 + minutes))
    };
    let (time, fraction) = match time.split_once('.') {
        Some((t, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (t, f),
        Some(_) => return None,
        None => (time, "0"),
    };
    let mut clock = time.splitn(3, ':');
    let hour = number(clock.next()?, 2)?;
    let minute = number(clock.next()?, 2)?;
    let second = number(clock.next()?, 2)?;
    let millis: i64 = format!("{fraction:0<3}")[..3].parse().ok()?;

    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second < 61;
    if !valid {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1_000 + millis)
}

/// A field of exactly `digits` ASCII digits.
fn number(field: &str, digits: usize) -> Option<i64> {
    (field.len() == digits && field.bytes().all(|b| b.is_ascii_digit()))
        .then(|| field.parse().ok())?
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xep_0082_examples_parse() {
        assert_eq!(parse_datetime("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_datetime("2002-09-10T23:08:25Z"),
            Some(1_031_699_305_000)
        );
        assert_eq!(
            parse_datetime("1969-07-20T21:56:15-05:00"),
            Some(-14_159_025_000)
        );
        assert_eq!(
            parse_datetime("2002-09-10T23:08:25.123Z"),
            Some(1_031_699_305_123)
        );
        assert_eq!(
            parse_datetime("2002-09-10T23:08:25.1+01:30"),
            Some(1_031_699_305_100 - 90 * 60_000)
        );
        assert_eq!(
            parse_datetime("2024-02-29T12:00:00Z"),
            Some(1_709_208_000_000)
        );
    }

    #[test]
    fn invalid_stamps_are_none() {
        for bad in [
            "",
            "2002-09-10",
            "2002-09-10T23:08:25",
            "2002-13-10T23:08:25Z",
            "2023-02-29T00:00:00Z",
            "2002-09-10T24:00:00Z",
            "2002-9-10T23:08:25Z",
            "2002-09-10T23:08:25.Z",
            "2002-09-10T23:08:25+0100",
            "2002-09-10T23:08:25+99:99",
            "+002-09-10T23:08:25Z",
            "２００２-09-10T23:08:25Z",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
    }
}
