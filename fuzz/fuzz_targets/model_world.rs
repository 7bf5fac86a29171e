//! libFuzzer target: each input is one drawn model world (`model_world::run_input`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| stakepool_tests::model_world::run_input(data));
