//! `Range: bytes=...` requests (RFC 9110 §14): a browser asks for part of a
//! video or audio file when the reader seeks, and Safari asks for every
//! media file that way. Without an answer in kind, a video in the preview
//! plays only from the start (and in Safari not at all).

/// What to send of a file of a given length.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// The whole file, 200: no range asked for, or one this server does not
    /// serve in part (several ranges, another unit, a malformed header),
    /// which the RFC lets a server answer with the whole.
    Whole,
    /// Bytes `start..=end`, 206.
    Bytes { start: u64, end: u64 },
    /// A range that starts past the end, 416.
    Unsatisfiable,
}

/// Reads a `Range` header's value for a file of `len` bytes.
pub(crate) fn part(range: Option<&str>, len: u64) -> Part {
    let Some(spec) = range.and_then(|r| {
        let (unit, spec) = r.trim().split_once('=')?;
        unit.trim()
            .eq_ignore_ascii_case("bytes")
            .then_some(spec.trim())
    }) else {
        return Part::Whole;
    };
    if spec.contains(',') {
        return Part::Whole;
    }
    let Some((first, last)) = spec.split_once('-') else {
        return Part::Whole;
    };
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (first.trim().is_empty(), number(first), number(last)) {
        // `bytes=-500`: the last 500 bytes.
        (true, _, Some(n)) if n > 0 && len > 0 => Part::Bytes {
            start: len.saturating_sub(n),
            end: len - 1,
        },
        (true, _, Some(_)) => Part::Unsatisfiable,
        // `bytes=5-1` is no range at all: the whole file.
        (false, Some(start), Some(end)) if end < start => Part::Whole,
        (false, Some(start), _) if start >= len => Part::Unsatisfiable,
        // `bytes=100-`: from byte 100 to the end.
        (false, Some(start), None) if last.trim().is_empty() => Part::Bytes {
            start,
            end: len - 1,
        },
        (false, Some(start), Some(end)) if end >= start => Part::Bytes {
            start,
            end: end.min(len - 1),
        },
        _ => Part::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_a_browser_sends() {
        let p = |r: &str| part(Some(r), 1000);
        assert_eq!(p("bytes=0-"), Part::Bytes { start: 0, end: 999 });
        assert_eq!(p("bytes=0-1"), Part::Bytes { start: 0, end: 1 });
        assert_eq!(
            p("bytes=500-"),
            Part::Bytes {
                start: 500,
                end: 999
            }
        );
        assert_eq!(
            p("bytes=900-5000"),
            Part::Bytes {
                start: 900,
                end: 999
            }
        );
        assert_eq!(
            p("bytes=-100"),
            Part::Bytes {
                start: 900,
                end: 999
            }
        );
        assert_eq!(p("bytes=-5000"), Part::Bytes { start: 0, end: 999 });
        assert_eq!(p("Bytes = 10-19"), Part::Bytes { start: 10, end: 19 });
        assert_eq!(p("bytes=1000-"), Part::Unsatisfiable);
        assert_eq!(p("bytes=-0"), Part::Unsatisfiable);
        assert_eq!(part(Some("bytes=0-"), 0), Part::Unsatisfiable);
    }

    #[test]
    fn other_ranges_get_the_whole_file() {
        assert_eq!(part(None, 10), Part::Whole);
        for r in [
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=5-1",
            "bytes=5000-4000",
            "bytes=a-b",
            "bytes=+1-2",
            "bytes=-",
            "bytes=1",
            "bytes=99999999999999999999999-",
            "",
        ] {
            assert_eq!(part(Some(r), 10), Part::Whole, "{r}");
        }
    }
}
