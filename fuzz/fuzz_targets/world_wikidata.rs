//! The world register's Wikidata entity JSON reader and the reconciliation after it (see
//! src/lib.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stedenband_domain::world::input::WorldFormat;

fuzz_target!(|data: &[u8]| stedenband_fuzz::world(data, WorldFormat::Wikidata));
