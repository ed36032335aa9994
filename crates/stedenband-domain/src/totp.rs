//! The second factor: time-based one-time passwords (TOTP, RFC 6238) with HMAC-SHA1, 30-second
//! steps and 6 digits, as every authenticator app reads them from an `otpauth://` URI; secrets
//! in base32 (RFC 4648, no padding); and the normal form of one-time recovery codes.
//!
//! No clock here: the caller passes the Unix time.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

/// Seconds per step.
pub const STEP_SECONDS: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;
/// Bytes of a secret (160 bits, the size of an HMAC-SHA1 output, as RFC 4226 recommends).
pub const SECRET_BYTES: usize = 20;
/// Steps accepted either side of the current one (clock drift, a code typed as it changes).
pub const WINDOW: i64 = 1;
/// The issuer shown in authenticator apps.
pub const ISSUER: &str = "Stedenband";

/// The step a Unix time falls in.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// HOTP (RFC 4226) of a counter with `digits` digits.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = (hash[hash.len() - 1] & 0x0f) as usize;
    let binary = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    binary % 10u32.pow(digits)
}

/// The code of a step, with leading zeros.
pub fn code_for_step(secret: &[u8], step: i64) -> String {
    let width = DIGITS as usize;
    format!(
        "{:0width$}",
        hotp(secret, step.max(0).unsigned_abs(), DIGITS)
    )
}

/// The code shown at a Unix time.
pub fn code_at(secret: &[u8], unix_seconds: i64) -> String {
    code_for_step(secret, step_at(unix_seconds))
}

/// Checks a typed code against the current step and one step either side; returns the step
/// it matched, so the caller can refuse it a second time (replay). Spaces are ignored.
pub fn verify(secret: &[u8], typed: &str, unix_seconds: i64) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS as usize || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_at(unix_seconds);
    let mut found = None;
    // Every candidate is compared, in constant time, whatever matched first.
    for step in (now - WINDOW)..=(now + WINDOW) {
        if constant_time_eq(code_for_step(secret, step).as_bytes(), typed.as_bytes()) {
            found = Some(step);
        }
    }
    found
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 (RFC 4648) without padding.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Reads base32, upper or lower case, ignoring spaces, dashes and padding.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !matches!(c, ' ' | '-' | '=')) {
        let c = c.to_ascii_uppercase() as u8;
        let value = BASE32.iter().position(|&x| x == c)? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
        buffer &= (1 << bits) - 1;
    }
    Some(out)
}

/// A base32 secret in groups of four, for typing it into an app.
pub fn grouped(secret_base32: &str) -> String {
    secret_base32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `otpauth://` URI an authenticator app reads (from a QR code or pasted).
pub fn otpauth_uri(username: &str, secret_base32: &str) -> String {
    format!(
        "otpauth://totp/{ISSUER}:{}?secret={secret_base32}&issuer={ISSUER}",
        percent_encode(username)
    )
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Recovery codes per enrolment.
pub const RECOVERY_CODES: usize = 10;

/// A recovery code as shown: ten base32 characters in two groups (50 bits), from 7 random
/// bytes.
pub fn recovery_code(random: &[u8; 7]) -> String {
    let text = base32_encode(random).to_lowercase();
    format!("{}-{}", &text[..5], &text[5..10])
}

/// A typed recovery code in the form that is hashed: lower case, without spaces or dashes.
pub fn normalise_recovery_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn the_rfc_6238_sha1_vectors() {
        for (time, expected) in [
            (59i64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            let step = step_at(time).unsigned_abs();
            assert_eq!(hotp(RFC_SECRET, step, 8), expected, "time {time}");
            // Six digits are the last six of the eight.
            assert_eq!(
                code_at(RFC_SECRET, time),
                format!("{:06}", expected % 1_000_000),
                "time {time}"
            );
        }
        assert_eq!(code_at(RFC_SECRET, 59), "287082");
    }

    #[test]
    fn the_rfc_4226_hotp_vectors() {
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(hotp(RFC_SECRET, counter as u64, 6), *code);
        }
    }

    #[test]
    fn verification_accepts_one_step_either_side_and_names_it() {
        let t = 1_111_111_111;
        let now = step_at(t);
        assert_eq!(verify(RFC_SECRET, &code_at(RFC_SECRET, t), t), Some(now));
        assert_eq!(
            verify(RFC_SECRET, &code_at(RFC_SECRET, t - 30), t),
            Some(now - 1)
        );
        assert_eq!(
            verify(RFC_SECRET, &code_at(RFC_SECRET, t + 30), t),
            Some(now + 1)
        );
        assert_eq!(verify(RFC_SECRET, &code_at(RFC_SECRET, t - 60), t), None);
        assert_eq!(verify(RFC_SECRET, &code_at(RFC_SECRET, t + 60), t), None);
        let spaced = code_at(RFC_SECRET, t);
        let spaced = format!("{} {}", &spaced[..3], &spaced[3..]);
        assert_eq!(verify(RFC_SECRET, &spaced, t), Some(now));
        for bad in ["", "12345", "1234567", "abcdef", "28708２"] {
            assert_eq!(verify(RFC_SECRET, bad, t), None, "{bad:?}");
        }
    }

    #[test]
    fn base32_follows_rfc_4648() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32_encode(plain.as_bytes()), encoded);
            assert_eq!(base32_decode(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(
            base32_encode(RFC_SECRET),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
        assert_eq!(
            base32_decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq").unwrap(),
            RFC_SECRET
        );
        assert_eq!(base32_decode("GEZ1"), None);
        assert_eq!(grouped("GEZDGNBVGY"), "GEZD GNBV GY");
    }

    #[test]
    fn the_uri_names_issuer_user_and_secret() {
        assert_eq!(
            otpauth_uri("jan@lv", "GEZDGNBV"),
            "otpauth://totp/Stedenband:jan%40lv?secret=GEZDGNBV&issuer=Stedenband"
        );
    }

    #[test]
    fn recovery_codes_are_typed_loosely() {
        let code = recovery_code(&[1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(code.len(), 11);
        assert_eq!(
            normalise_recovery_code(&format!(" {} ", code.to_uppercase())),
            code.replace('-', "")
        );
    }
}
