//! Reads the programs' accounts into the model's shape, and says how two models differ.
use solana_signer::Signer;

use super::ops::{actor, Op};
use super::World;
use crate::model::{Balances, MPool, MPosition, Model};

/// Reads every account the model describes.
pub(super) async fn observe(w: &mut World, clock: i64) -> Model {
    let mut model = observe_pool(w).await;
    model.clock = clock;
    for i in 0..w.users.len() {
        model.positions.push(observe_position(w, i).await);
        model
            .tokens
            .wallets
            .push(w.bank.token_balance(w.users[i].token).await);
        model.user_shares.push(user_shares(w, i).await);
    }
    read_shared_balances(w, &mut model.tokens).await;
    model
}

/// The balances of every token account that is not a depositor's wallet: the vaults, the
/// market's, and the authority's, funder's, donor's and stranger's wallets.
async fn read_shared_balances(w: &mut World, tokens: &mut Balances) {
    tokens.vault = w.bank.token_balance(w.pool.keys.vault).await;
    tokens.reward_vault = w.bank.token_balance(w.pool.keys.reward_vault).await;
    tokens.market_vault = w.bank.token_balance(w.market.keys.liquidity_vault).await;
    tokens.authority = w.bank.token_balance(w.market.authority.token).await;
    tokens.funder = w.bank.token_balance(w.pool.funder.token).await;
    tokens.donor = w.bank.token_balance(w.donor.token).await;
    tokens.stranger = w.bank.token_balance(w.stranger.token).await;
}

/// The pool and the market, with no positions or balances filled in.
pub(super) async fn observe_pool(w: &mut World) -> Model {
    let state = w.bank.pool_state(&w.pool).await;
    let market = w.bank.market_state(&w.market).await;
    let receipt = w
        .bank
        .receipt_state(&w.market, &w.pool.keys.pool)
        .await
        .unwrap();
    let stranger = w
        .bank
        .receipt_state(&w.market, &w.stranger.key())
        .await
        .unwrap();
    Model {
        pool: MPool {
            apr_bps: state.apr_bps,
            index_checkpoint: state.index_checkpoint.get(),
            checkpoint_ts: state.checkpoint_ts,
            accrued_index: state.accrued_index(),
            last_update_ts: state.last_update_ts,
            total_owed: state.total_owed(),
            total_staked: state.total_staked_shares,
            total_unbonding: state.total_unbonding_shares,
            principal_index: state.principal_index(),
            losses: state.total_losses,
            principal: state.principal,
            funded: state.total_rewards_funded,
            paid: state.total_rewards_paid,
            harvested: state.total_interest_harvested,
            lent: state.lent_principal,
            lending_costs: state.total_lending_costs,
            reserve_bps: state.limits.reserve_bps,
            unbonding_period: state.limits.unbonding_period,
            notice_period: state.limits.notice_period,
            pending: state.pending,
            paused: state.is_paused(),
            last_lend_ts: state.last_lend_ts,
            last_recall_ts: state.last_recall_ts,
            admin: w
                .admins
                .iter()
                .position(|k| k.pubkey() == state.admin)
                .expect("admin is a candidate"),
            pending_admin: w
                .admins
                .iter()
                .position(|k| k.pubkey() == state.pending_admin),
        },
        positions: Vec::new(),
        market_rate_cp: market.rate_checkpoint,
        market_t_cp: market.checkpoint_ts,
        market_apr: market.supply_apr_bps,
        total_shares: market.total_shares,
        loans: market.outstanding_loans,
        written_off: market.written_off,
        receipt_shares: receipt.shares,
        stranger_shares: stranger.shares,
        user_shares: Vec::new(),
        tokens: Balances::default(),
        clock: 0,
    }
}

/// Re-reads what `op` can have changed: the pool, the market, the vaults, the acting user's
/// position and wallet, and the other wallets the op moves tokens from or to. A transaction
/// cannot change an account it does not reference, so this is the whole effect.
pub(super) async fn refresh(w: &mut World, observed: &mut Model, op: Op) {
    let fresh_pool = observe_pool(w).await;
    observed.pool = fresh_pool.pool;
    observed.total_shares = fresh_pool.total_shares;
    observed.loans = fresh_pool.loans;
    observed.written_off = fresh_pool.written_off;
    observed.receipt_shares = fresh_pool.receipt_shares;
    observed.stranger_shares = fresh_pool.stranger_shares;
    read_shared_balances(w, &mut observed.tokens).await;
    if let Some(u) = actor(op) {
        observed.positions[u] = observe_position(w, u).await;
        observed.tokens.wallets[u] = w.bank.token_balance(w.users[u].token).await;
        observed.user_shares[u] = user_shares(w, u).await;
    }
}

/// The market shares user `u` holds in a receipt of their own (taken in kind).
pub(super) async fn user_shares(w: &mut World, u: usize) -> u64 {
    let owner = w.users[u].key();
    w.bank
        .receipt_state(&w.market, &owner)
        .await
        .map_or(0, |r| r.shares)
}

pub(super) async fn observe_position(w: &mut World, u: usize) -> MPosition {
    let position = w.bank.position_state(&w.pool, &w.users[u]).await;
    position.map_or(MPosition::default(), |p| MPosition {
        open: true,
        staked: p.staked_shares,
        unbonding: p.unbonding_shares,
        unlock_ts: p.unlock_ts,
        snapshot: p.index_snapshot.get(),
        owed: p.owed(),
        claimed: p.total_claimed,
    })
}

pub(super) fn diff(observed: &Model, model: &Model) -> String {
    let mut diff = String::new();
    if observed.pool != model.pool {
        diff += &format!(
            "\n  pool: programs {:?}\n        model    {:?}",
            observed.pool, model.pool
        );
    }
    for (i, (a, b)) in observed.positions.iter().zip(&model.positions).enumerate() {
        if a != b {
            diff += &format!("\n  position {i}: programs {a:?}\n              model    {b:?}");
        }
    }
    if observed.tokens != model.tokens {
        diff += &format!(
            "\n  tokens: programs {:?}\n          model    {:?}",
            observed.tokens, model.tokens
        );
    }
    let market = |m: &Model| (m.total_shares, m.loans, m.receipt_shares);
    if market(observed) != market(model) {
        diff += &format!(
            "\n  market: programs {:?} model {:?}",
            market(observed),
            market(model)
        );
    }
    diff
}
