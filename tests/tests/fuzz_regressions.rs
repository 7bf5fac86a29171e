//! Every input in fuzz/regressions (a world the fuzzer once broke, copied there from its
//! crash artifact) runs as the fuzz target runs it, in a bank of its own as a crash is
//! reproduced (`model_world::run_input_alone`): a drawn world checked against the model after
//! every step, every depositor leaving at the end, every token accounted for.
use stakepool_tests::model_world::run_input_alone;
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
    let failed: Vec<String> = inputs
        .iter()
        .filter(|input| {
            let bytes = std::fs::read(input).unwrap();
            std::panic::catch_unwind(|| run_input_alone(&bytes)).is_err()
        })
        .map(|input| input.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "broken again (see each panic above): {failed:?}"
    );
}
