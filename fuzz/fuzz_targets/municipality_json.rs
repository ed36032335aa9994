//! The municipality JSON document's parser, `Document::from_slice`, and the document's round
//! trip through its writer (see src/lib.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| stedenband_fuzz::municipality_json(data));
