//! Every input in fuzz/regressions (a world the fuzzer once broke) runs as the fuzz target
//! runs it (`model_world::run_input`): a drawn world checked against the model after every
//! step, every depositor leaving at the end, every token accounted for.
use stakepool_tests::model_world::run_input;
use stakepool_tests::SUITE_DIR;

#[test]
fn every_input_the_fuzzer_once_broke_now_holds() {
    let dir = format!("{SUITE_DIR}/../fuzz/regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| entry.unwrap().path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "{dir} holds no inputs");
    for input in &inputs {
        eprintln!("fuzz regression {}", input.display());
        run_input(&std::fs::read(input).unwrap());
    }
}
