//! The in-process bank: `solana-program-test` with both programs registered natively and
//! SPL Token / Token-2022 loaded as real SBF programs. The simulator and the test suite
//! start it the same way, so what the demo shows is what the tests prove.
use anchor_lang::prelude::{AccountInfo, Pubkey};
use anchor_lang::solana_program::entrypoint::ProgramResult;
use solana_clock::Clock;
use solana_program_test::{processor, ProgramTest, ProgramTestContext};

/// Anchor's `entry` ties the program id, the accounts and the data to one lifetime, which the
/// native processor signature cannot express. The runtime keeps all three alive for the whole
/// call, so re-typing them to the shortest of their lifetimes is sound in practice. This is
/// the project's only unsafe code and exists only for native registration.
macro_rules! native_processor {
    ($name:ident, $entry:path) => {
        fn $name<'a, 'b, 'c, 'd>(
            program_id: &'a Pubkey,
            accounts: &'b [AccountInfo<'c>],
            data: &'d [u8],
        ) -> ProgramResult {
            // SAFETY: see above; nothing outlives this call.
            let (program_id, accounts, data) = unsafe {
                (
                    &*(program_id as *const Pubkey),
                    std::mem::transmute::<&'b [AccountInfo<'c>], &'b [AccountInfo<'b>]>(accounts),
                    std::slice::from_raw_parts(data.as_ptr(), data.len()),
                )
            };
            $entry(program_id, accounts, data)
        }
    };
}

native_processor!(staking_pool_processor, staking_pool::entry);
native_processor!(mock_lending_processor, mock_lending::entry);

/// Genesis time of every in-process bank: a fixed, realistic Unix timestamp, so runs repeat.
pub const GENESIS_TS: i64 = 1_700_000_000;

/// A program-test with both programs registered as native processors.
pub fn program_test() -> ProgramTest {
    // ProgramTest installs a debug logger that prints every instruction; keep output readable
    // (RUST_LOG still overrides this when debugging). The lock keeps another thread's
    // ProgramTest from switching the debug logger back on between the two calls.
    static LOGGER: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let guard = LOGGER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut program_test = ProgramTest::default();
    agave_logger::setup_with_default("error");
    drop(guard);
    // `STAKEPOOL_SBF=1` runs the real SBF programs instead (staking_pool.so and mock_lending.so
    // from SBF_OUT_DIR, built by scripts/build-sbf.sh or `anchor build`): the same tests, in
    // the VM, with compute units, logs and events.
    let sbf = sbf_mode();
    program_test.prefer_bpf(sbf);
    if sbf {
        // The upgradeable loader, as `anchor deploy` uses: it runs SBPF v3 programs.
        program_test.add_upgradeable_program_to_genesis("staking_pool", &staking_pool::ID);
        program_test.add_upgradeable_program_to_genesis("mock_lending", &mock_lending::ID);
    } else {
        program_test.add_program(
            "staking_pool",
            staking_pool::ID,
            processor!(staking_pool_processor),
        );
        program_test.add_program(
            "mock_lending",
            mock_lending::ID,
            processor!(mock_lending_processor),
        );
    }
    program_test
}

/// Whether the bank runs the SBF programs (`STAKEPOOL_SBF` set) rather than native ones.
pub fn sbf_mode() -> bool {
    std::env::var_os("STAKEPOOL_SBF").is_some()
}

/// Starts the bank with its clock at `GENESIS_TS`.
pub async fn start() -> ProgramTestContext {
    let mut ctx = program_test().start_with_context().await;
    set_time(&mut ctx, GENESIS_TS).await;
    ctx
}

/// Moves to a new slot and sets the Clock's `unix_timestamp`, which is what the programs read.
/// Slot warps alone do not move the timestamp predictably. A new slot also means a new
/// blockhash, so identical transactions stay distinct.
pub async fn set_time(ctx: &mut ProgramTestContext, unix_timestamp: i64) {
    let clock: Clock = ctx.banks_client.get_sysvar().await.expect("clock");
    let slot = clock.slot + 1;
    ctx.warp_to_slot(slot).expect("warp");
    ctx.set_sysvar(&Clock {
        slot,
        unix_timestamp,
        ..clock
    });
}

/// A new slot (and blockhash) at the same time.
pub async fn next_slot(ctx: &mut ProgramTestContext) {
    let now = ctx
        .banks_client
        .get_sysvar::<Clock>()
        .await
        .expect("clock")
        .unix_timestamp;
    set_time(ctx, now).await;
}
