//! The notice period in the real VM (SBF build): an APR cut announced, refused before its time
//! by name, executed by a stranger at its time, with its events decoded from the logs.
use anchor_lang::error::ERROR_CODE_OFFSET;
use stakepool_sdk::instructions;
use stakepool_vm::events;
use stakepool_vm::world::{open_limits, World, TOKEN};
use staking_pool::errors::StakingError;
use staking_pool::events::{AprChanged, ChangeCancelled, ChangeExecuted, ChangeProposed};
use staking_pool::state::{Change, ChangeKind, PoolLimits};

const DAY: i64 = 24 * 60 * 60;

#[test]
fn an_apr_cut_waits_out_the_notice_and_anyone_executes_it() {
    let limits = PoolLimits {
        unbonding_period: 3 * DAY,
        notice_period: 7 * DAY,
        ..open_limits()
    };
    let mut world = World::new(1_000, limits);
    world.fund_rewards(10_000 * TOKEN);
    let alice = world.user(1_000 * TOKEN);
    world.stake(&alice, 1_000 * TOKEN);

    // Directly: refused by name.
    let cut = instructions::set_apr(&world.keys, &world.admin, 500);
    let refused = world.svm.send(&cut);
    assert_eq!(
        refused.custom_code(),
        Some(ERROR_CODE_OFFSET + StakingError::NoticeRequired as u32)
    );

    let propose = instructions::propose_change(&world.keys, &world.admin, Change::Apr(500));
    let sent = world.send(&propose, "propose_change");
    let event: ChangeProposed = events::one(&sent.logs);
    assert_eq!(event.change, Change::Apr(500));
    let executable_at = event.executable_at;

    let stranger = world.user(0);
    let execute = instructions::execute_change(&world.keys, &stranger.owner, ChangeKind::Apr, None);
    world.svm.advance(7 * DAY - 1);
    let early = world.svm.send(&execute);
    assert_eq!(
        early.custom_code(),
        Some(ERROR_CODE_OFFSET + StakingError::NoticeNotElapsed as u32)
    );
    assert_eq!(world.pool().apr_bps, 1_000);

    world.svm.advance(1);
    let sent = world.send(&execute, "execute_change");
    let executed: ChangeExecuted = events::one(&sent.logs);
    assert_eq!(executed.change, Change::Apr(500));
    let changed: AprChanged = events::one(&sent.logs);
    assert_eq!((changed.old_apr_bps, changed.new_apr_bps), (1_000, 500));
    assert_eq!(changed.checkpoint_ts, executable_at);
    assert_eq!(world.pool().apr_bps, 500);
    assert_eq!(world.pool().pending.get(ChangeKind::Apr), None);

    // And a cancelled one never applies.
    let propose = instructions::propose_change(&world.keys, &world.admin, Change::Apr(100));
    world.send(&propose, "propose_change");
    let cancel = instructions::cancel_change(&world.keys, &world.admin, ChangeKind::Apr);
    let sent = world.send(&cancel, "cancel_change");
    let cancelled: ChangeCancelled = events::one(&sent.logs);
    assert_eq!(cancelled.change, Change::Apr(100));
    world.svm.advance(7 * DAY);
    let nothing = world.svm.send(&execute);
    assert_eq!(
        nothing.custom_code(),
        Some(ERROR_CODE_OFFSET + StakingError::NoPendingChange as u32)
    );
    assert_eq!(world.pool().apr_bps, 500);
}
