//! What a deploy config asks of a cluster, compared with what is there: the steps that would
//! bring the cluster to the config, in the order they must run. An empty plan means the
//! cluster already matches; a second run of the same config always plans nothing.
use std::fmt;

use anchor_lang::prelude::Pubkey;
use mock_lending::state::Market;
use solana_signer::Signer;
use stakepool_client::amount::{format_ui_amount, parse_ui_amount};
use stakepool_client::client::changes::describe_change;
use stakepool_client::client::{ClientError, StakeClient};
use stakepool_client::limits::{describe, with_overrides};
use stakepool_client::transport::Transport;
use stakepool_client::{accounts, token_setup, MarketKeys, PoolKeys};
use staking_pool::state::{Change, ChangeKind, Pool, PoolLimits};

use crate::config::{DeployConfig, MarketChoice, MintChoice, PoolConfig};

/// Test mints are classic SPL Token mints.
pub const TEST_MINT_PROGRAM: Pubkey = anchor_spl::token::ID;

#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    CreateTestMint {
        seed: String,
        mint: Pubkey,
        decimals: u8,
    },
    CreateMockMarket {
        market: Pubkey,
        mint: Pubkey,
        market_id: u16,
        supply_apr_bps: u32,
    },
    CreatePool {
        pool: Pubkey,
        mint: Pubkey,
        pool_id: u16,
        apr_bps: u32,
        limits: PoolLimits,
        decimals: u8,
    },
    SetApr {
        pool: Pubkey,
        from: u32,
        to: u32,
    },
    SetParams {
        pool: Pubkey,
        from: PoolLimits,
        to: PoolLimits,
        decimals: u8,
    },
    SetLendingMarket {
        pool: Pubkey,
        market: Pubkey,
    },
    /// A change the config asks for was proposed by an earlier run and its time has come.
    ExecuteChange {
        pool: Pubkey,
        kind: ChangeKind,
        what: String,
    },
    /// A change the config asks for was proposed by an earlier run; nothing to send yet.
    AwaitChange {
        pool: Pubkey,
        what: String,
        until: i64,
    },
    /// Test mints only: mint what the reward funding needs to the payer first.
    MintToPayer {
        mint: Pubkey,
        token_program: Pubkey,
        amount: u64,
        decimals: u8,
    },
    FundRewards {
        pool: Pubkey,
        amount: u64,
        funded: u64,
        target: u64,
        decimals: u8,
    },
}

/// Whether `change` was announced by an earlier run (pending with this very value): then it
/// is executed once its time has come and awaited before, never proposed again (that would
/// restart its clock), and the step saying so is pushed.
fn announced(state: &Pool, pool: Pubkey, now: i64, change: Change, steps: &mut Vec<Step>) -> bool {
    match state.pending_change(change.kind()) {
        // A lapsed announcement is announced again, by the usual step.
        Some((pending, at, until)) if pending == change && now <= until => {
            let what = describe_change(state, change);
            steps.push(if now >= at {
                Step::ExecuteChange {
                    pool,
                    kind: change.kind(),
                    what,
                }
            } else {
                Step::AwaitChange {
                    pool,
                    what,
                    until: at,
                }
            });
            true
        }
        _ => false,
    }
}

/// One pool's steps.
#[derive(Clone, Debug, PartialEq)]
pub struct PoolPlan {
    pub name: String,
    pub pool: Pubkey,
    pub steps: Vec<Step>,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("pool '{pool}': {message}")]
    Pool { pool: String, message: String },
    #[error(transparent)]
    Client(#[from] ClientError),
}

fn limits_text(limits: &PoolLimits, decimals: u8) -> String {
    format!(
        "reserve {} bps, {}",
        limits.reserve_bps,
        describe(limits, decimals)
    )
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::CreateTestMint {
                seed,
                mint,
                decimals,
            } => write!(
                f,
                "create test mint {mint} ({decimals} decimals, seed \"{seed}\", you mint)"
            ),
            Step::CreateMockMarket {
                market,
                market_id,
                supply_apr_bps,
                ..
            } => write!(
                f,
                "create mock lending market {market} (id {market_id}, supply APR {supply_apr_bps} bps)"
            ),
            Step::CreatePool {
                pool,
                apr_bps,
                limits,
                decimals,
                ..
            } => write!(
                f,
                "create pool {pool} at {apr_bps} bps ({})",
                limits_text(limits, *decimals)
            ),
            Step::SetApr { from, to, .. } => write!(f, "set APR {from} → {to} bps"),
            Step::SetParams {
                from, to, decimals, ..
            } => write!(
                f,
                "set params: {} → {}",
                limits_text(from, *decimals),
                limits_text(to, *decimals)
            ),
            Step::SetLendingMarket { market, .. } => write!(f, "lend idle funds to market {market}"),
            Step::ExecuteChange { what, .. } => write!(f, "execute the announced change: {what}"),
            Step::AwaitChange { what, until, .. } => {
                write!(f, "waiting until {until} for the announced change: {what}")
            }
            Step::MintToPayer {
                amount, decimals, ..
            } => write!(
                f,
                "mint {} test tokens to the payer",
                format_ui_amount(*amount, *decimals)
            ),
            Step::FundRewards {
                amount,
                funded,
                target,
                decimals,
                ..
            } => write!(
                f,
                "fund rewards with {} (funded {} of {})",
                format_ui_amount(*amount, *decimals),
                format_ui_amount(*funded, *decimals),
                format_ui_amount(*target, *decimals)
            ),
        }
    }
}

/// The steps every pool of `config` needs, reading the cluster through `client` (whose
/// signer is the payer). Reads only: nothing is sent.
pub async fn plan<T: Transport>(
    client: &StakeClient<T>,
    config: &DeployConfig,
) -> Result<Vec<PoolPlan>, PlanError> {
    let mut plans = Vec::new();
    for pool in &config.pools {
        plans.push(plan_pool(client, pool).await?);
    }
    Ok(plans)
}

/// The market at `address`, checked: owned by the mock lending program, lending `mint`, and
/// (when `authority` is given) controlled by it.
async fn check_market<T: Transport>(
    client: &StakeClient<T>,
    address: &Pubkey,
    mint: &Pubkey,
    authority: Option<&Pubkey>,
) -> Result<Market, String> {
    let account = client
        .raw(address)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("lending market {address} does not exist"))?;
    if account.owner != stakepool_client::program_ids::lending() {
        return Err(format!(
            "{address} is not a market of the lending program {}",
            stakepool_client::program_ids::lending()
        ));
    }
    let market: Market =
        accounts::anchor(&account.data, "lending market").map_err(|e| e.to_string())?;
    if market.mint != *mint {
        return Err(format!(
            "lending market {address} lends {}, not the pool's mint {mint}",
            market.mint
        ));
    }
    if let Some(authority) = authority {
        if market.authority != *authority {
            return Err(format!(
                "mock market {address} was created by {}, not the payer; its authority can \
                 move its liquidity, so the pool will not lend there (choose another mock_market_id)",
                market.authority
            ));
        }
    }
    Ok(market)
}

async fn plan_pool<T: Transport>(
    client: &StakeClient<T>,
    spec: &PoolConfig,
) -> Result<PoolPlan, PlanError> {
    let fail = |message: String| PlanError::Pool {
        pool: spec.name.clone(),
        message,
    };
    let payer = client.signer.pubkey();
    let mut steps = Vec::new();

    // The mint: found, or (test mints) created at its seeded address.
    let choice = spec.mint_choice().map_err(&fail)?;
    let (mint, token_program, decimals) = match choice {
        MintChoice::CreateTestMint => {
            let seed = spec.mint_seed();
            let mint = token_setup::seeded_mint_address(&payer, &seed, &TEST_MINT_PROGRAM);
            match client.raw(&mint).await? {
                Some(account) => {
                    let decimals =
                        accounts::mint_decimals(&account.data).map_err(ClientError::from)?;
                    if decimals != spec.decimals {
                        return Err(fail(format!(
                            "the test mint {mint} has {decimals} decimals, the config says {}; \
                             a mint's decimals never change (rename the pool for a new mint)",
                            spec.decimals
                        )));
                    }
                    (mint, account.owner, decimals)
                }
                None => {
                    steps.push(Step::CreateTestMint {
                        seed,
                        mint,
                        decimals: spec.decimals,
                    });
                    (mint, TEST_MINT_PROGRAM, spec.decimals)
                }
            }
        }
        MintChoice::Existing(mint) => {
            let account = client.raw(&mint).await?.ok_or_else(|| {
                fail(format!(
                    "mint {mint} does not exist on {}",
                    client.transport.endpoint()
                ))
            })?;
            let decimals = accounts::mint_decimals(&account.data).map_err(ClientError::from)?;
            (mint, account.owner, decimals)
        }
    };

    let amount = |text: &Option<String>, what: &str| -> Result<Option<u64>, PlanError> {
        text.as_deref()
            .map(|t| parse_ui_amount(t, decimals).map_err(|e| fail(format!("{what}: {e}"))))
            .transpose()
    };
    let base = PoolLimits {
        reserve_bps: spec.reserve_bps,
        ..PoolLimits::default()
    };
    let limits = with_overrides(
        base,
        decimals,
        spec.min_deposit.as_deref(),
        spec.deposit_cap.as_deref(),
        spec.unbonding_period.as_deref(),
        spec.notice_period.as_deref(),
    )
    .map_err(|e| fail(e.to_string()))?;
    let target_funding = amount(&spec.reward_funding, "reward_funding")?.unwrap_or(0);

    // The market: none, found, or a mock market created for this mint. A market the pool
    // will lend to must be the mock lending program's, for this mint; one this config
    // creates must also be the payer's, since its authority can move its liquidity.
    let market = match spec.market_choice().map_err(&fail)? {
        MarketChoice::None => None,
        MarketChoice::Existing(market) => {
            check_market(client, &market, &mint, None)
                .await
                .map_err(&fail)?;
            Some(market)
        }
        MarketChoice::CreateMock => {
            let keys = MarketKeys::derive(&mint, spec.mock_market_id, &token_program);
            if client.raw(&keys.market).await?.is_none() {
                steps.push(Step::CreateMockMarket {
                    market: keys.market,
                    mint,
                    market_id: spec.mock_market_id,
                    supply_apr_bps: spec.mock_market_apr_bps,
                });
            } else {
                let state = check_market(client, &keys.market, &mint, Some(&payer))
                    .await
                    .map_err(&fail)?;
                if state.supply_apr_bps != spec.mock_market_apr_bps {
                    return Err(fail(format!(
                        "mock market {} pays {} bps, the config says {}; a mock market's rate \
                         is fixed at creation (choose another mock_market_id)",
                        keys.market, state.supply_apr_bps, spec.mock_market_apr_bps
                    )));
                }
            }
            Some(keys.market)
        }
    };

    // The pool: created with the config's parameters, or brought to them.
    let keys = PoolKeys::derive(&payer, &mint, spec.pool_id, &token_program);
    let funded = match client.raw(&keys.pool).await? {
        None => {
            // A notice period would make attaching the first market a proposal: the pool is
            // created without one, gets its market, then its notice (a longer notice is for
            // depositors and applies at once).
            let created = match market {
                Some(_) => PoolLimits {
                    notice_period: 0,
                    ..limits
                },
                None => limits,
            };
            steps.push(Step::CreatePool {
                pool: keys.pool,
                mint,
                pool_id: spec.pool_id,
                apr_bps: spec.apr_bps,
                limits: created,
                decimals,
            });
            if let Some(market) = market {
                steps.push(Step::SetLendingMarket {
                    pool: keys.pool,
                    market,
                });
            }
            if created != limits {
                steps.push(Step::SetParams {
                    pool: keys.pool,
                    from: created,
                    to: limits,
                    decimals,
                });
            }
            0
        }
        Some(account) => {
            let state: Pool =
                accounts::zero_copy(&account.data, "pool").map_err(ClientError::from)?;
            let changes_before = steps.len();
            // Changes an earlier run announced: executed once their time has come, awaited
            // before; never proposed again (that would restart their clock).
            let now = client.now().await?;
            if state.apr_bps != spec.apr_bps
                && !announced(
                    &state,
                    keys.pool,
                    now,
                    Change::Apr(spec.apr_bps),
                    &mut steps,
                )
            {
                steps.push(Step::SetApr {
                    pool: keys.pool,
                    from: state.apr_bps,
                    to: spec.apr_bps,
                });
            }
            // Announced limits keep their current value in what is sent now.
            let mut to = limits;
            let current = state.limits();
            for change in limits.noticed_changes() {
                if current.with(change) != current
                    && announced(&state, keys.pool, now, change, &mut steps)
                {
                    to = to.without(change, &current);
                }
            }
            if current != to {
                steps.push(Step::SetParams {
                    pool: keys.pool,
                    from: current,
                    to,
                    decimals,
                });
            }
            let current = state
                .has_lending_market()
                .then_some(state.lending_market);
            match (current, market) {
                (Some(current), None) => {
                    return Err(fail(format!(
                        "the pool lends to {current} and no instruction detaches a market; set lending_market = \"{current}\""
                    )))
                }
                (current, Some(market)) if current != Some(market) => {
                    if state.lent_principal > 0 {
                        return Err(fail(format!(
                            "the pool has {} lent to {}; the program refuses a new market while \
                             funds are lent: run `stakepool recall-all --pool {}` first",
                            format_ui_amount(state.lent_principal, decimals),
                            state.lending_market,
                            keys.pool
                        )));
                    }
                    if !announced(&state, keys.pool, now, Change::LendingMarket(market), &mut steps) {
                        steps.push(Step::SetLendingMarket {
                            pool: keys.pool,
                            market,
                        });
                    }
                }
                _ => {}
            }
            // Executing an announced change is anyone's; the other changes are the admin's.
            let admin_steps = steps[changes_before..].iter().any(|step| {
                matches!(
                    step,
                    Step::SetApr { .. } | Step::SetParams { .. } | Step::SetLendingMarket { .. }
                )
            });
            if admin_steps && state.admin != payer {
                return Err(fail(format!(
                    "the pool's admin is {}, not the payer {payer}; only the admin can change it",
                    state.admin
                )));
            }
            state.total_rewards_funded
        }
    };

    // Test tokens: mint what the funding below and the payer's wallet target need.
    let funding = target_funding.saturating_sub(funded);
    if choice == MintChoice::CreateTestMint {
        let keep = amount(&spec.payer_test_tokens, "payer_test_tokens")?.unwrap_or(0);
        let need = funding
            .checked_add(keep)
            .ok_or_else(|| fail("reward_funding + payer_test_tokens overflow".into()))?;
        let wallet = anchor_spl::associated_token::get_associated_token_address_with_program_id(
            &payer,
            &mint,
            &token_program,
        );
        let have = client.token_balance(&wallet).await?.unwrap_or(0);
        if have < need {
            steps.push(Step::MintToPayer {
                mint,
                token_program,
                amount: need - have,
                decimals,
            });
        }
    }

    // Reward funding: top up to the target, never beyond.
    if funding > 0 {
        let amount = funding;
        steps.push(Step::FundRewards {
            pool: keys.pool,
            amount,
            funded,
            target: target_funding,
            decimals,
        });
    }

    Ok(PoolPlan {
        name: spec.name.clone(),
        pool: keys.pool,
        steps,
    })
}
