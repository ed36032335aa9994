//! The world register's JSON rows reader (an array of objects with the CSV's columns) and the
//! reconciliation after it (see src/lib.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;
use stedenband_domain::world::input::WorldFormat;

fuzz_target!(|data: &[u8]| stedenband_fuzz::world(data, WorldFormat::JsonRows));
