//! Sends a model operation to the bank as the client would.
use solana_signer::Signer;
use staking_pool::state::PoolLimits;

use super::ops::Op;
use super::World;
use crate::model::Model;
use crate::TxResult;

/// Sends `op` to the bank; returns the result and the index of the instruction whose error
/// counts (a deposit into a closed position opens it first, in the same transaction).
pub(super) async fn send(w: &mut World, m: &Model, op: Op) -> (TxResult, u8) {
    let World {
        bank,
        pool,
        market,
        users,
        donor,
        stranger,
        admins,
    } = w;
    let admin = admins[m.pool.admin].insecure_clone();
    match op {
        Op::Deposit(u, amount) => {
            let opens = !m.positions[u].open;
            (bank.stake(pool, &users[u], amount).await, u8::from(opens))
        }
        Op::Withdraw(u, amount) => (bank.withdraw(pool, &users[u], amount).await, 0),
        Op::RequestUnbond(u, amount) => (bank.request_unbond(pool, &users[u], amount).await, 0),
        Op::Claim(u) => (bank.claim(pool, &users[u]).await, 0),
        Op::Compound(u) => (bank.compound(pool, &users[u]).await, 0),
        Op::ClosePosition(u) => (bank.close_position(pool, &users[u]).await, 0),
        Op::FundRewards(amount) => (bank.fund_rewards(pool, amount).await, 0),
        Op::Rebalance => (bank.rebalance(pool).await, 0),
        Op::Harvest => (bank.harvest(pool).await, 0),
        Op::RecallAll => (bank.recall_all(pool, &admin).await, 0),
        Op::SetApr(apr) => (bank.set_apr(pool, &admin, apr).await, 0),
        Op::SetParams(reserve, period, notice) => {
            let limits = PoolLimits {
                reserve_bps: reserve,
                unbonding_period: period,
                notice_period: notice,
                ..PoolLimits::default()
            };
            (bank.set_params(pool, &admin, limits).await, 0)
        }
        Op::Propose(signer, change) => (
            bank.propose_change(pool, &admins[signer].insecure_clone(), change)
                .await,
            0,
        ),
        Op::Execute(kind) => {
            let crank = users[0].wallet.insecure_clone();
            (bank.execute_change(pool, &crank, kind, None).await, 0)
        }
        Op::Cancel(signer, kind) => (
            bank.cancel_change(pool, &admins[signer].insecure_clone(), kind)
                .await,
            0,
        ),
        Op::Pause => (bank.pause(pool, &admin).await, 0),
        Op::Unpause => (bank.unpause(pool, &admin).await, 0),
        Op::TransferAdmin(signer, to) => {
            let to = admins[to].pubkey();
            (
                bank.transfer_admin(pool, &admins[signer].insecure_clone(), &to)
                    .await,
                0,
            )
        }
        Op::AcceptAdmin(signer) => (
            bank.accept_admin(pool, &admins[signer].insecure_clone())
                .await,
            0,
        ),
        Op::Borrow(amount) => (bank.market_borrow(market, amount).await, 0),
        Op::Repay(amount) => (bank.market_repay(market, amount).await, 0),
        Op::FundInterest(amount) => (bank.market_fund_interest(market, amount).await, 0),
        Op::StrangerDeposit(amount) => (bank.market_deposit(market, stranger, amount).await, 0),
        Op::StrangerWithdraw(amount) => (bank.market_withdraw(market, stranger, amount).await, 0),
        Op::Donate(amount, to_rewards) => {
            let to = if to_rewards {
                pool.keys.reward_vault
            } else {
                pool.keys.vault
            };
            bank.transfer_tokens(&pool.mint, &donor.token, &donor.wallet, &to, amount)
                .await;
            (Ok(()), 0)
        }
        Op::Time(dt) => {
            bank.set_time(m.clock + dt).await;
            (Ok(()), 0)
        }
        Op::Default(amount) => (bank.market_default(market, amount).await, 0),
        Op::Recover(amount) => (bank.market_recover(market, amount).await, 0),
        Op::RecogniseLoss => (bank.recognise_loss(pool).await, 0),
        Op::WithdrawInKind(u, amount) => {
            let user = &users[u];
            let mut instructions = Vec::new();
            let opens = bank.receipt_state(market, &user.key()).await.is_none();
            if opens {
                instructions.push(stakepool_client::lending_instructions::open_receipt(
                    &market.keys,
                    &user.key(),
                    &user.key(),
                ));
            }
            instructions.push(stakepool_client::instructions::withdraw_in_kind(
                &pool.keys,
                &user.key(),
                &user.token,
                &market.keys.receipt(&user.key()),
                amount,
            ));
            (
                bank.send(&instructions, &[&user.wallet]).await,
                u8::from(opens),
            )
        }
        Op::TimeTo(..) | Op::BorrowAll => unreachable!("resolved before it is sent"),
    }
}
