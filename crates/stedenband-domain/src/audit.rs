//! The tamper-evident audit log: what was done, by whom, to what, and whether it was allowed.
//!
//! Entries form a hash chain. Each entry's hash is SHA-256 over the previous entry's hash, its
//! own sequence number, its time and its content, encoded so that no two different entries give
//! the same bytes (every text length-prefixed, `None` told apart from `Some("")`). Changing a
//! stored entry, removing one, moving one, or linking one to another predecessor shows up in
//! [`verify`]. Cutting off the newest entries does not change the rest, so it shows only against
//! a head `(seq, hash)` kept elsewhere: the caller exports the head now and then and hands it back
//! to [`verify`].
//!
//! The hashes carry no secret: someone who can rewrite the whole table can recompute the whole
//! chain. A head kept outside the database catches that too, since a recomputed chain no longer
//! reaches the exported hash.
//!
//! No I/O here: the store reads and writes the rows, this module only computes and checks.

use sha2::{Digest, Sha256};
use std::fmt;

/// The `prev_hash` of the first entry: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Marks the hash encoding, so a future change of layout cannot collide with this one.
const DOMAIN_TAG: &[u8] = b"stedenband-audit-v1";

/// Whether the recorded action was carried out or refused (e.g. by a permission check).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Success,
    Refused,
}

impl Outcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Refused => "refused",
        }
    }

    /// The outcome a code names. Codes come from the program, never from a form, so an unknown
    /// one is a fault rather than a validation error.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "success" => Some(Outcome::Success),
            "refused" => Some(Outcome::Refused),
            _ => None,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An entry to append: everything but its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditDraft {
    /// The username that acted; `None` for the system or an anonymous visitor.
    pub actor: Option<String>,
    /// The client's address, where known.
    pub address: Option<String>,
    /// What was done, e.g. `partnership.update` or `login`.
    pub action: String,
    /// What kind of thing it was done to, e.g. `partnership`.
    pub object_kind: Option<String>,
    pub object_id: Option<String>,
    /// The object before and after, as JSON text.
    pub before: Option<String>,
    pub after: Option<String>,
    pub outcome: Outcome,
}

/// A stored entry: its draft, its place in the chain and its hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// 1, 2, 3, ... without gaps.
    pub seq: i64,
    /// UTC time as fixed-width text (`2025-01-31T12:00:00.000000Z`).
    pub at: String,
    pub draft: AuditDraft,
    /// The previous entry's hash ([`GENESIS`] for entry 1).
    pub prev_hash: String,
    /// [`entry_hash`] of this entry.
    pub hash: String,
}

impl AuditEntry {
    /// The hash this entry's content should have.
    pub fn expected_hash(&self) -> String {
        entry_hash(&self.prev_hash, self.seq, &self.at, &self.draft)
    }
}

/// The hash of an entry, as 64 lower-case hex digits.
///
/// Encoding: a tag, the previous hash, the sequence number as 8 big-endian bytes, then every
/// text as its length (8 big-endian bytes) and its UTF-8 bytes; an optional text is one byte
/// first, 0 for `None` and 1 for `Some`.
pub fn entry_hash(prev_hash: &str, seq: i64, at: &str, d: &AuditDraft) -> String {
    let mut h = Sha256::new();
    text(&mut h, DOMAIN_TAG);
    text(&mut h, prev_hash.as_bytes());
    h.update(seq.to_be_bytes());
    text(&mut h, at.as_bytes());
    opt(&mut h, d.actor.as_deref());
    opt(&mut h, d.address.as_deref());
    text(&mut h, d.action.as_bytes());
    opt(&mut h, d.object_kind.as_deref());
    opt(&mut h, d.object_id.as_deref());
    opt(&mut h, d.before.as_deref());
    opt(&mut h, d.after.as_deref());
    text(&mut h, d.outcome.as_str().as_bytes());
    hex(&h.finalize())
}

fn text(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

fn opt(h: &mut Sha256, value: Option<&str>) {
    match value {
        None => h.update([0u8]),
        Some(v) => {
            h.update([1u8]);
            text(h, v.as_bytes());
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// Reads a head as printed by `stedenband audit head`: `SEQ:HASH`, the hash as 64 hex digits.
pub fn parse_head(raw: &str) -> Option<(i64, String)> {
    let (seq, hash) = raw.trim().split_once(':')?;
    let seq: i64 = seq.parse().ok()?;
    let hash = hash.to_ascii_lowercase();
    if seq < 0 || hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some((seq, hash))
}

/// A chain that verified: how many entries, and the newest one's place and hash (`0` and
/// [`GENESIS`] when the log is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainSummary {
    pub count: u64,
    pub head_seq: i64,
    pub head_hash: String,
}

impl fmt::Display for ChainSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} entries, head {}:{}",
            self.count, self.head_seq, self.head_hash
        )
    }
}

/// Where the chain breaks first, and how.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct ChainBreak {
    /// The entry concerned: the edited or relinked one, the first missing one.
    pub seq: i64,
    pub problem: BreakKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BreakKind {
    /// The entry's content (or its stored hash) was changed: the hash no longer matches.
    Edited,
    /// The entry is not where it should be: `found` stands in its place (higher: entries were
    /// removed; lower: the order was changed).
    Missing { found: i64 },
    /// The entry does not point to the entry before it: entries were swapped, replaced or
    /// inserted.
    Relinked,
    /// The chain does not reach the head kept elsewhere (`head_seq`): the newest entries were
    /// removed (`rewritten` false), or the entry at `head_seq` has another hash than the one
    /// kept, so the log was cut back and written anew (`rewritten` true).
    Truncated { head_seq: i64, rewritten: bool },
}

impl ChainBreak {
    fn describe(&self) -> String {
        let seq = self.seq;
        match &self.problem {
            BreakKind::Edited => {
                format!("entry {seq} was edited: its content no longer matches its hash")
            }
            BreakKind::Missing { found } if *found > seq && seq <= 1 => format!(
                "entry {seq} is missing: the log starts at entry {found} (entries were removed)"
            ),
            BreakKind::Missing { found } if *found > seq => format!(
                "entry {seq} is missing: the log goes from entry {} to entry {found} \
                 (entries were removed)",
                seq - 1
            ),
            BreakKind::Missing { found } => format!(
                "entry {seq} is missing: entry {found} stands in its place \
                 (entries were removed or reordered)"
            ),
            BreakKind::Relinked => format!(
                "entry {seq} was relinked: it does not point to the entry before it \
                 (entries were swapped, replaced or inserted)"
            ),
            BreakKind::Truncated {
                head_seq,
                rewritten: false,
            } if seq <= 1 => format!(
                "entry {seq} is missing: the log is empty, but the head kept elsewhere is entry \
                 {head_seq} (the entries were removed)"
            ),
            BreakKind::Truncated {
                head_seq,
                rewritten: false,
            } => format!(
                "entry {seq} is missing: the log ends at entry {}, but the head kept elsewhere \
                 is entry {head_seq} (the newest entries were removed)",
                seq - 1
            ),
            BreakKind::Truncated {
                rewritten: true, ..
            } => format!(
                "entry {seq} is not the head kept elsewhere: its hash differs, so the log was \
                 cut back and written anew"
            ),
        }
    }
}

/// Checks a chain one entry at a time, so a long log can be read page by page.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    count: u64,
    last_seq: i64,
    last_hash: String,
    /// The head kept elsewhere, and whether the chain has reached it.
    head: Option<(i64, String)>,
    head_seen: bool,
    /// A break found before any entry (a head at 0 that is not [`GENESIS`]).
    pending: Option<ChainBreak>,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self::new(None)
    }
}

impl ChainVerifier {
    pub fn new(expected_head: Option<(i64, &str)>) -> Self {
        let mut v = Self {
            count: 0,
            last_seq: 0,
            last_hash: GENESIS.to_owned(),
            head: expected_head.map(|(s, h)| (s.max(0), h.to_ascii_lowercase())),
            head_seen: false,
            pending: None,
        };
        v.pending = v.check_head().err();
        v
    }

    /// The next entry in seq order.
    pub fn push(&mut self, e: &AuditEntry) -> Result<(), ChainBreak> {
        if let Some(b) = &self.pending {
            return Err(b.clone());
        }
        let expected = self.last_seq + 1;
        if e.seq != expected {
            return Err(ChainBreak {
                seq: expected,
                problem: BreakKind::Missing { found: e.seq },
            });
        }
        let broke = |problem| ChainBreak {
            seq: e.seq,
            problem,
        };
        if e.prev_hash != self.last_hash {
            return Err(broke(BreakKind::Relinked));
        }
        if e.expected_hash() != e.hash {
            return Err(broke(BreakKind::Edited));
        }
        self.count += 1;
        self.last_seq = e.seq;
        self.last_hash.clone_from(&e.hash);
        self.check_head()
    }

    /// At the head's place, the hash must be the one kept.
    fn check_head(&mut self) -> Result<(), ChainBreak> {
        if let Some((head_seq, head_hash)) = &self.head
            && *head_seq == self.last_seq
        {
            if *head_hash != self.last_hash {
                return Err(ChainBreak {
                    seq: *head_seq,
                    problem: BreakKind::Truncated {
                        head_seq: *head_seq,
                        rewritten: true,
                    },
                });
            }
            self.head_seen = true;
        }
        Ok(())
    }

    /// After the last entry: the summary, or where the chain falls short of the head.
    pub fn finish(self) -> Result<ChainSummary, ChainBreak> {
        if let Some(b) = self.pending {
            return Err(b);
        }
        if let Some((head_seq, _)) = self.head
            && !self.head_seen
        {
            return Err(ChainBreak {
                seq: self.last_seq + 1,
                problem: BreakKind::Truncated {
                    head_seq,
                    rewritten: false,
                },
            });
        }
        Ok(ChainSummary {
            count: self.count,
            head_seq: self.last_seq,
            head_hash: self.last_hash,
        })
    }
}

/// Checks a whole chain, given in seq order, against an optional head kept elsewhere.
pub fn verify(
    entries: impl Iterator<Item = AuditEntry>,
    expected_head: Option<(i64, &str)>,
) -> Result<ChainSummary, ChainBreak> {
    let mut v = ChainVerifier::new(expected_head);
    for e in entries {
        v.push(&e)?;
    }
    v.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(n: i64) -> AuditDraft {
        AuditDraft {
            actor: Some(format!("user{}", n % 3)),
            address: (n % 2 == 0).then(|| "192.0.2.1".to_owned()),
            action: "partnership.update".to_owned(),
            object_kind: Some("partnership".to_owned()),
            object_id: Some(format!("p{n}")),
            before: Some(format!(r#"{{"n":{}}}"#, n - 1)),
            after: Some(format!(r#"{{"n":{n}}}"#)),
            outcome: if n % 5 == 0 {
                Outcome::Refused
            } else {
                Outcome::Success
            },
        }
    }

    /// A valid chain of `n` entries.
    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let at = format!("2025-01-01T00:00:{:02}.000000Z", seq % 60);
                let d = draft(seq);
                let hash = entry_hash(&prev, seq, &at, &d);
                AuditEntry {
                    seq,
                    at,
                    draft: d,
                    prev_hash: std::mem::replace(&mut prev, hash.clone()),
                    hash,
                }
            })
            .collect()
    }

    fn check(
        entries: Vec<AuditEntry>,
        head: Option<(i64, &str)>,
    ) -> Result<ChainSummary, ChainBreak> {
        verify(entries.into_iter(), head)
    }

    #[test]
    fn a_valid_chain_verifies() {
        let c = chain(20);
        let head = (20, c[19].hash.clone());
        let summary = check(c.clone(), None).unwrap();
        assert_eq!(summary.count, 20);
        assert_eq!(summary.head_seq, 20);
        assert_eq!(summary.head_hash, c[19].hash);
        assert_eq!(c[0].prev_hash, GENESIS);
        // Against its own head, and against an older head (the log grew since).
        check(c.clone(), Some((head.0, &head.1))).unwrap();
        check(c.clone(), Some((7, &c[6].hash))).unwrap();
        // Upper-case hex in a head is the same hash.
        check(c.clone(), Some((7, &c[6].hash.to_uppercase()))).unwrap();
    }

    #[test]
    fn an_empty_log_verifies_against_the_genesis_head() {
        let s = check(vec![], None).unwrap();
        assert_eq!((s.count, s.head_seq, s.head_hash.as_str()), (0, 0, GENESIS));
        check(vec![], Some((0, GENESIS))).unwrap();
        let b = check(vec![], Some((0, &"1".repeat(64)))).unwrap_err();
        assert!(
            matches!(
                b.problem,
                BreakKind::Truncated {
                    rewritten: true,
                    ..
                }
            ),
            "{b:?}"
        );
    }

    #[test]
    fn hashes_are_hex_sha256_and_the_encoding_is_pinned() {
        let c = chain(1);
        assert_eq!(c[0].hash.len(), 64);
        assert!(
            c[0].hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        );
        // Existing logs must keep verifying: the encoding may not change silently. (Computed
        // independently: Python's hashlib over the layout documented on `entry_hash`.)
        assert_eq!(
            c[0].hash,
            "7518fa31123ab5500eb0e722938b147ce4407e4c67871e5fa2aecc8ce34e26dc"
        );
    }

    #[test]
    fn the_encoding_is_unambiguous() {
        let base = draft(1);
        let h = |d: &AuditDraft| entry_hash(GENESIS, 1, "t", d);
        // None differs from an empty text.
        let mut a = base.clone();
        a.address = None;
        let mut b = base.clone();
        b.address = Some(String::new());
        assert_ne!(h(&a), h(&b));
        // Moving text across a field boundary changes the hash.
        let mut a = base.clone();
        a.object_kind = Some("ab".into());
        a.object_id = Some("c".into());
        let mut b = base.clone();
        b.object_kind = Some("a".into());
        b.object_id = Some("bc".into());
        assert_ne!(h(&a), h(&b));
        // The same value in another field changes the hash.
        let mut a = base.clone();
        a.before = Some("x".into());
        a.after = None;
        let mut b = base.clone();
        b.before = None;
        b.after = Some("x".into());
        assert_ne!(h(&a), h(&b));
        // seq, time and the previous hash count.
        assert_ne!(h(&base), entry_hash(GENESIS, 2, "t", &base));
        assert_ne!(h(&base), entry_hash(GENESIS, 1, "u", &base));
        assert_ne!(h(&base), entry_hash(&"1".repeat(64), 1, "t", &base));
    }

    #[test]
    fn editing_any_field_is_found_at_that_entry() {
        type Edit = fn(&mut AuditEntry);
        let edits: &[(&str, Edit)] = &[
            ("at", |e| e.at.push('1')),
            ("actor", |e| e.draft.actor = None),
            ("address", |e| e.draft.address = Some("198.51.100.7".into())),
            ("action", |e| e.draft.action = "partnership.delete".into()),
            ("object_kind", |e| {
                e.draft.object_kind = Some("municipality".into())
            }),
            ("object_id", |e| e.draft.object_id = Some("other".into())),
            ("before", |e| e.draft.before = None),
            ("after", |e| e.draft.after = Some(r#"{"n":0}"#.into())),
            ("outcome", |e| e.draft.outcome = Outcome::Refused),
            ("hash", |e| e.hash = "f".repeat(64)),
        ];
        for (field, edit) in edits {
            let mut c = chain(10);
            edit(&mut c[6]);
            let b = check(c, None).unwrap_err();
            // A changed stored hash also breaks the link after it; the first break is named.
            assert_eq!(
                (b.seq, b.problem),
                (7, BreakKind::Edited),
                "editing {field}"
            );
        }
        // Changing the stored link is a relinking.
        let mut c = chain(10);
        c[6].prev_hash = c[4].hash.clone();
        let b = check(c, None).unwrap_err();
        assert_eq!((b.seq, b.problem), (7, BreakKind::Relinked));
    }

    #[test]
    fn a_removed_entry_is_missing() {
        let mut c = chain(10);
        c.remove(4);
        let b = check(c, None).unwrap_err();
        assert_eq!(
            (b.seq, b.problem.clone()),
            (5, BreakKind::Missing { found: 6 })
        );
        assert_eq!(
            b.to_string(),
            "entry 5 is missing: the log goes from entry 4 to entry 6 (entries were removed)"
        );
        // The first one too.
        let mut c = chain(10);
        c.remove(0);
        let b = check(c, None).unwrap_err();
        assert_eq!((b.seq, b.problem), (1, BreakKind::Missing { found: 2 }));
    }

    #[test]
    fn swapped_entries_are_found_at_the_first_of_them() {
        // Reordered as they are.
        let mut c = chain(10);
        c.swap(2, 7);
        let b = check(c, None).unwrap_err();
        assert_eq!((b.seq, b.problem), (3, BreakKind::Missing { found: 8 }));
        // Their seq values exchanged, so the order looks right (as an UPDATE would do).
        let mut c = chain(10);
        c.swap(2, 7);
        c[2].seq = 3;
        c[7].seq = 8;
        let b = check(c, None).unwrap_err();
        assert_eq!((b.seq, b.problem), (3, BreakKind::Relinked));
        // Neighbours.
        let mut c = chain(10);
        c.swap(4, 5);
        c[4].seq = 5;
        c[5].seq = 6;
        let b = check(c, None).unwrap_err();
        assert_eq!((b.seq, b.problem), (5, BreakKind::Relinked));
    }

    #[test]
    fn truncation_is_found_against_a_kept_head() {
        let c = chain(10);
        let head = c[9].hash.clone();
        let mut cut = c.clone();
        cut.truncate(7);
        // Without a head the shorter log looks whole: that is why the head is kept elsewhere.
        assert_eq!(check(cut.clone(), None).unwrap().count, 7);
        let b = check(cut, Some((10, &head))).unwrap_err();
        assert_eq!(
            (b.seq, b.problem.clone()),
            (
                8,
                BreakKind::Truncated {
                    head_seq: 10,
                    rewritten: false
                }
            )
        );
        assert!(b.to_string().contains("entry 8 is missing"), "{b}");
        assert!(b.to_string().contains("ends at entry 7"), "{b}");
        // Everything removed.
        let b = check(vec![], Some((10, &head))).unwrap_err();
        assert_eq!(b.seq, 1);
        assert!(b.to_string().contains("the log is empty"), "{b}");
    }

    #[test]
    fn a_rewritten_chain_does_not_reach_the_kept_head() {
        let c = chain(10);
        let head = c[9].hash.clone();
        // Cut back to 5 and appended anew, so the chain itself is consistent.
        let mut prev = c[4].hash.clone();
        let mut rewritten: Vec<_> = c[..5].to_vec();
        for seq in 6..=12 {
            let d = AuditDraft {
                action: "forged".into(),
                ..draft(seq)
            };
            let at = "2025-02-01T00:00:00.000000Z".to_owned();
            let hash = entry_hash(&prev, seq, &at, &d);
            rewritten.push(AuditEntry {
                seq,
                at,
                draft: d,
                prev_hash: std::mem::replace(&mut prev, hash.clone()),
                hash,
            });
        }
        check(rewritten.clone(), None).unwrap();
        let b = check(rewritten, Some((10, &head))).unwrap_err();
        assert_eq!(
            (b.seq, b.problem.clone()),
            (
                10,
                BreakKind::Truncated {
                    head_seq: 10,
                    rewritten: true
                }
            )
        );
        assert!(b.to_string().starts_with("entry 10 "), "{b}");
    }

    #[test]
    fn the_messages_name_the_entry() {
        let b = ChainBreak {
            seq: 17,
            problem: BreakKind::Edited,
        };
        assert_eq!(
            b.to_string(),
            "entry 17 was edited: its content no longer matches its hash"
        );
        let b = ChainBreak {
            seq: 17,
            problem: BreakKind::Relinked,
        };
        assert!(b.to_string().starts_with("entry 17 was relinked"), "{b}");
        let b = ChainBreak {
            seq: 17,
            problem: BreakKind::Missing { found: 12 },
        };
        assert!(
            b.to_string().contains("entry 12 stands in its place"),
            "{b}"
        );
    }

    #[test]
    fn heads_parse_as_printed() {
        let h = "a".repeat(64);
        assert_eq!(parse_head(&format!("42:{h}")), Some((42, h.clone())));
        assert_eq!(
            parse_head(&format!(" 42:{} ", h.to_uppercase())),
            Some((42, h.clone()))
        );
        for bad in [
            "",
            "42",
            &format!("x:{h}"),
            "42:abc",
            &format!("-1:{h}"),
            &format!("1:{}", "g".repeat(64)),
        ] {
            assert!(parse_head(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn outcomes_round_trip() {
        for o in [Outcome::Success, Outcome::Refused] {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        assert!(Outcome::parse("maybe").is_none());
    }
}
