//! WCAG contrast for code colours: a theme's token colour that is too faint on
//! its block's background is darkened (light themes) or lightened (dark
//! themes) just enough, keeping its hue, so every token stays readable.

/// WCAG AA for normal text. Tokens are checked a little above it, so that a
/// rounding in the browser's colour maths never drops one below.
#[cfg(test)]
pub(crate) const MIN_CONTRAST: f64 = 4.5;
const TARGET: f64 = 4.6;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    #[cfg(test)]
    /// `#rgb`, `#rrggbb` or `#rrggbbaa`, with the alpha (255 when absent).
    pub(crate) fn parse(s: &str) -> Option<(Rgb, u8)> {
        let h = s.trim().strip_prefix('#')?;
        let byte = |i: usize| u8::from_str_radix(h.get(i..i + 2)?, 16).ok();
        let nibble = |i: usize| u8::from_str_radix(h.get(i..=i)?, 16).ok().map(|v| v * 17);
        match h.len() {
            3 => Some((Rgb(nibble(0)?, nibble(1)?, nibble(2)?), 255)),
            6 => Some((Rgb(byte(0)?, byte(2)?, byte(4)?), 255)),
            8 => Some((Rgb(byte(0)?, byte(2)?, byte(4)?), byte(6)?)),
            _ => None,
        }
    }

    pub(crate) fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// This colour at `alpha` over `bg`.
    pub(crate) fn over(self, alpha: u8, bg: Rgb) -> Rgb {
        let a = f64::from(alpha) / 255.0;
        let mix = |f: u8, b: u8| (f64::from(f) * a + f64::from(b) * (1.0 - a)).round() as u8;
        Rgb(mix(self.0, bg.0), mix(self.1, bg.1), mix(self.2, bg.2))
    }

    fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// The colour moved a share `t` (0..=1) of the way towards `to`.
    fn toward(self, to: Rgb, t: f64) -> Rgb {
        let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(mix(self.0, to.0), mix(self.1, to.1), mix(self.2, to.2))
    }
}

pub(crate) fn ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// `fg`, or the nearest colour towards black or white (whichever side of the
/// background has room) that reaches the target contrast on `bg`.
pub(crate) fn readable(fg: Rgb, bg: Rgb) -> Rgb {
    if ratio(fg, bg) >= TARGET {
        return fg;
    }
    let black = Rgb(0, 0, 0);
    let white = Rgb(255, 255, 255);
    let to = if ratio(black, bg) >= ratio(white, bg) {
        black
    } else {
        white
    };
    // Bisect the share of the way: contrast grows steadily along the line.
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..24 {
        let mid = (lo + hi) / 2.0;
        if ratio(fg.toward(to, mid), bg) >= TARGET {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    fg.toward(to, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_matches_wcag() {
        let black = Rgb(0, 0, 0);
        let white = Rgb(255, 255, 255);
        assert!((ratio(black, white) - 21.0).abs() < 1e-9);
        let grey = Rgb::parse("#969896").unwrap().0;
        let bg = Rgb::parse("#f5f6f8").unwrap().0;
        assert!((ratio(grey, bg) - 2.68).abs() < 0.01);
    }

    #[test]
    fn faint_colours_are_raised_and_keep_their_side() {
        let light_bg = Rgb::parse("#fafafa").unwrap().0;
        let dark_bg = Rgb::parse("#282c34").unwrap().0;
        for hex in ["#969896", "#0086b3", "#a0a1a7", "#ffffff", "#e5c07b"] {
            let fg = Rgb::parse(hex).unwrap().0;
            let l = readable(fg, light_bg);
            assert!(ratio(l, light_bg) >= MIN_CONTRAST, "{hex} -> {}", l.hex());
            assert!(l.luminance() <= fg.luminance(), "darker on light");
        }
        for hex in ["#5c6370", "#333333", "#000000", "#abb2bf"] {
            let fg = Rgb::parse(hex).unwrap().0;
            let d = readable(fg, dark_bg);
            assert!(ratio(d, dark_bg) >= MIN_CONTRAST, "{hex} -> {}", d.hex());
        }
        // A readable colour is left alone.
        let ok = Rgb::parse("#383a42").unwrap().0;
        assert_eq!(readable(ok, light_bg), ok);
    }

    #[test]
    fn parses_short_long_and_alpha() {
        assert_eq!(Rgb::parse("#abc"), Some((Rgb(0xaa, 0xbb, 0xcc), 255)));
        assert_eq!(Rgb::parse("#a0a1a7"), Some((Rgb(0xa0, 0xa1, 0xa7), 255)));
        assert_eq!(Rgb::parse("#a0a1a780"), Some((Rgb(0xa0, 0xa1, 0xa7), 0x80)));
        assert_eq!(Rgb::parse("red"), None);
        let half = Rgb(255, 255, 255).over(128, Rgb(0, 0, 0));
        assert_eq!(half, Rgb(128, 128, 128));
    }
}
