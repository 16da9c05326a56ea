//! Front matter dates: `YYYY-MM-DD` with a real month and day, and the
//! other ways notes write them.

use crate::diagnostic::Diagnostic;
use anyhow::Result;

/// Turns a YAML date value into `YYYY-MM-DD[...]` text, rejecting what is
/// not a date; `at` is the key's line in `file` and its text as written.
pub(crate) fn date_string(
    v: &serde_yaml::Value,
    file: &str,
    at: Option<(usize, &str)>,
    key: &str,
) -> Result<String> {
    if let Some(stamp) = v.as_u64().and_then(epoch) {
        return Ok(stamp);
    }
    let s = match v {
        serde_yaml::Value::String(s) => s.trim().to_string(),
        // `{{date}}` of Obsidian's template plugins is a mapping to YAML.
        serde_yaml::Value::Mapping(_) => String::new(),
        other => (serde_yaml::to_string(other).unwrap_or_default().trim()).to_string(),
    };
    let s = padded_date(without_weekday(&s)).unwrap_or_else(|| without_weekday(&s).to_string());
    if is_date(&s) {
        return Ok(s);
    }
    let written = at.map_or_else(|| format!("{key}: {s}"), |(_, text)| text.to_string());
    // `{{date}}` (Templates), `<% tp.date.now() %>` (Templater).
    let why = match written.contains("{{") || written.contains("<%") {
        true => format!(
            "`{written}` is a template's placeholder, not a date: this note looks like an Obsidian or Templater template; leave the templates out with `exclude: [{}]` in biji.yaml",
            template_pattern(file)
        ),
        false => format!(
            "`{written}` is not a date; write it as YYYY-MM-DD (a time may follow: 2024-03-01 08:30)"
        ),
    };
    Err(Diagnostic::at(file, why)
        .line(at.map(|(line, _)| line))
        .into())
}

/// A Unix time as Dendron writes `created:` and `updated:`, in
/// milliseconds (13 digits), or in seconds (10 digits): the moment in UTC.
/// Other numbers (`20210503` is a day, read as one) are no time.
fn epoch(n: u64) -> Option<String> {
    let secs = match n.checked_ilog10()? + 1 {
        13 => n / 1000,
        10 => n,
        _ => return None,
    };
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil(days as i64);
    let (h, min, s) = (rest / 3600, rest % 3600 / 60, rest % 60);
    Some(format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}Z"))
}

/// The day `days` after 1970-01-01 as year, month and day (in the
/// proleptic Gregorian calendar, counted in 400-year eras of 146,097 days).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// What `exclude:` would name to leave out the template `file`
/// (`notes/Templates/日记.md`): its folder, or the file at the top.
fn template_pattern(file: &str) -> String {
    let rel = file.split_once('/').map_or(file, |(_, rel)| rel);
    match rel.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/"),
        None => rel.to_string(),
    }
}

/// A date without the day of the week that follows it, as Obsidian's
/// templates and Chinese notes write it: `2023-01-23 周一`, `2023年1月23日
/// 星期一`, `2023-01-23 Mon`, `2023-01-23 (Monday)`.
fn without_weekday(s: &str) -> &str {
    let Some((date, last)) = s.rsplit_once([' ', '\u{3000}']) else {
        return s;
    };
    let day = last.trim_matches(['(', ')', '（', '）', ',', '，']);
    let chinese = ["周", "星期", "礼拜", "禮拜", "週"].iter().any(|p| {
        day.strip_prefix(p)
            .is_some_and(|d| ["一", "二", "三", "四", "五", "六", "日", "天"].contains(&d))
    });
    let english = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .any(|p| {
            let lower = day.to_ascii_lowercase();
            lower == *p
                || lower
                    .strip_prefix(p)
                    .is_some_and(|r| r.ends_with("day") && r.len() <= 6)
        });
    match chinese || english {
        true => date.trim_end_matches([',', ' ']),
        false => s,
    }
}

/// Dates as Hexo, Hugo and Chinese notes also write them, `2021/3/4`,
/// `2021-3-4 10:00`, `2021.03.04`, `2021年3月4日`, `20210304`, as
/// `YYYY-MM-DD` and the rest; `None` for anything else.
fn padded_date(s: &str) -> Option<String> {
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..]));
    }
    let (year, rest) = s.split_at_checked(4)?;
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sep = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '-' | '/' | '.' | '年'))?;
    let rest = &rest[sep.len_utf8()..];
    fn number(t: &str) -> Option<(Option<u32>, &str)> {
        let n = t.bytes().take_while(u8::is_ascii_digit).count();
        (1..=2)
            .contains(&n)
            .then(|| (t[..n].parse::<u32>().ok(), &t[n..]))
    }
    let (Some(month), rest) = number(rest)? else {
        return None;
    };
    let second = if sep == '年' { '月' } else { sep };
    let rest = rest.strip_prefix(second)?;
    let (Some(day), rest) = number(rest)? else {
        return None;
    };
    let rest = if sep == '年' {
        rest.strip_prefix('日').unwrap_or(rest)
    } else {
        rest
    };
    Some(format!("{year}-{month:02}-{day:02}{rest}"))
}

/// `YYYY-MM-DD` with a real month and day, then nothing or a time
/// (`T08:30:00+08:00`, ` 08:30`).
pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .and_then(|_| s[r].parse::<u32>().ok())
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    };
    let time = &s[10..];
    b[4] == b'-'
        && b[7] == b'-'
        && (1..=days).contains(&d)
        && (time.is_empty()
            || (time.starts_with(['T', 't', ' '])
                && time[1..].bytes().any(|c| c.is_ascii_digit())
                && time[1..]
                    .bytes()
                    .all(|c| c.is_ascii_digit() || b":.+-Z ".contains(&c))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_real_days() {
        for ok in [
            "2024-03-01",
            "2024-02-29",
            "2024-03-01 08:30",
            "2024-03-01T08:30:00+08:00",
        ] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "not a date",
            "2024-13-45xyz",
            "2023-02-29",
            "2024-03-01xyz",
            "2024-3-1",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
        for (written, read) in [
            ("2021/3/4", "2021-03-04"),
            ("2021-3-4 10:00", "2021-03-04 10:00"),
            ("2021.03.04", "2021-03-04"),
            ("2021年3月4日", "2021-03-04"),
            ("2021/12/31 23:59:59", "2021-12-31 23:59:59"),
            ("20210503", "2021-05-03"),
        ] {
            assert_eq!(padded_date(written).as_deref(), Some(read), "{written}");
            assert!(is_date(read));
        }
        for (written, read) in [
            ("2023-01-23 周一", "2023-01-23"),
            ("2023年1月23日 星期一", "2023-01-23"),
            ("2023-01-23 10:00 Mon", "2023-01-23 10:00"),
            ("2023-01-23, (Monday)", "2023-01-23"),
            ("2023-01-23（週日）", "2023-01-23（週日）"),
        ] {
            let s = without_weekday(written);
            assert_eq!(
                padded_date(s).unwrap_or_else(|| s.to_string()),
                read,
                "{written}"
            );
        }
        // Dendron's Unix times, in milliseconds and seconds.
        for (n, read) in [
            (1_733_076_835_880u64, "2024-12-01T18:13:55Z"),
            (1_741_540_219, "2025-03-09T17:10:19Z"),
            (1_709_164_800_000, "2024-02-29T00:00:00Z"),
            (4_107_542_399, "2100-02-28T23:59:59Z"),
        ] {
            let v = serde_yaml::Value::from(n);
            assert_eq!(date_string(&v, "a", None, "updated").unwrap(), read);
            assert!(is_date(read));
        }
        for not_a_time in [20210503u64, 12345, 17330768358800] {
            assert!(epoch(not_a_time).is_none(), "{not_a_time}");
        }
        for kept in ["2023-01-23 Mondays", "2023-01-23 周八"] {
            assert_eq!(without_weekday(kept), kept);
        }
        for odd in [
            "21/3/4",
            "2021/3-4",
            "2021/123/4",
            "2021年3-4",
            "x",
            "20211303",
            "2021050",
        ] {
            let read = padded_date(odd);
            assert!(
                read.is_none() || !is_date(read.as_deref().unwrap()),
                "{odd}"
            );
        }
    }
}
