//! The shared test vectors of the TypeScript client (clients/js/test/vectors.json): pool and
//! position accounts as raw bytes with the figures this crate projects from them, and UI
//! amounts parsed and formatted. The TypeScript tests decode the same bytes and must give the
//! same figures to the base unit. This test fails when the committed file is not what the Rust
//! client gives today; `STAKEPOOL_WRITE_VECTORS=1` rewrites it.
use anchor_lang::{Discriminator, ZeroCopy};
use serde_json::{json, Value};
use stakepool_client::amount::{format_ui_amount, format_ui_amount_grouped, parse_ui_amount};
use stakepool_client::projection::{owed_at, pool_figures, position_figures};
use staking_pool::constants::SCALE;
use staking_pool::rewards::Owed;
use staking_pool::state::{Pool, Position};
use staking_pool::PoolLimits;

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../clients/js/test/vectors.json"
);

/// xorshift64*: the same cases on every run.
struct Draw(u64);
impl Draw {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

fn account_hex<T: ZeroCopy + Discriminator>(state: &T) -> String {
    let mut data = T::DISCRIMINATOR.to_vec();
    data.extend_from_slice(bytemuck::bytes_of(state));
    data.iter().map(|b| format!("{b:02x}")).collect()
}

fn owed_json(owed: Owed) -> Value {
    json!({ "units": owed.units.to_string(), "frac": owed.frac.to_string() })
}

/// A pool and a position in a state the program can reach: the indexes ordered, shares and
/// owed amounts within the pool's totals, and in some cases a loss written down.
fn state(draw: &mut Draw) -> (Pool, Position, i64) {
    let mut pool: Pool = bytemuck::Zeroable::zeroed();
    let mut position: Position = bytemuck::Zeroable::zeroed();
    let amounts = [1_000, 1_000_000, 123_456_789_012, u64::MAX / 4];
    let amount = |draw: &mut Draw| {
        let bound = amounts[draw.below(4) as usize];
        draw.below(bound)
    };
    let staked = amount(draw);
    let others = amount(draw);
    let principal_index = if draw.below(3) == 0 {
        SCALE - u128::from(draw.below(SCALE as u64 / 2))
    } else {
        SCALE
    };
    let checkpoint_ts = 1_700_000_000 + draw.below(100_000_000) as i64;
    let index_checkpoint = u128::from(draw.below(u64::MAX)) * u128::from(draw.below(100));
    let snapshot = index_checkpoint - u128::from(draw.below(1 << 40)).min(index_checkpoint);
    pool.apr_bps = [0, 1, 500, 1_234, 100_000][draw.below(5) as usize];
    pool.index_checkpoint = index_checkpoint.into();
    pool.principal_index = principal_index.into();
    pool.checkpoint_ts = checkpoint_ts;
    pool.last_update_ts = checkpoint_ts + draw.below(1_000_000) as i64;
    // What the last update accrued to: the index at `last_update_ts`.
    let accrued = staking_pool::rewards::share_index_at(
        index_checkpoint,
        checkpoint_ts,
        pool.apr_bps,
        principal_index,
        pool.last_update_ts,
    )
    .expect("index");
    pool.accrued_index = accrued.into();
    pool.total_staked_shares = staked + others;
    pool.total_unbonding_shares = draw.below(1 << 50);
    pool.total_owed = Owed {
        units: u128::from(draw.below(1 << 50)),
        frac: draw.below(SCALE as u64),
    }
    .into();
    // Some books short of what is owed, so a claim pays less than is owed.
    let funded_bound = [1 << 20, 1 << 62][draw.below(2) as usize];
    pool.total_rewards_funded = draw.below(funded_bound);
    pool.total_interest_harvested = draw.below(1 << 40);
    pool.total_rewards_paid = draw.below(pool.total_rewards_funded);
    let held = pool.total_rewards_funded + pool.total_interest_harvested - pool.total_rewards_paid;
    pool.total_lending_costs = draw.below(held.min(100));
    pool.principal =
        pool.total_staked_shares / 2 + pool.total_unbonding_shares / 2 + draw.below(1 << 20);
    pool.lent_principal = draw.below(pool.principal);
    pool.total_losses = if principal_index < SCALE {
        draw.below(1 << 40)
    } else {
        0
    };
    pool.limits = PoolLimits {
        reserve_bps: 2_000,
        min_deposit: 1,
        deposit_cap: u64::MAX,
        unbonding_period: [0, 86_400, 7 * 86_400][draw.below(3) as usize],
        notice_period: 0,
    }
    .into();
    position.staked_shares = staked;
    position.unbonding_shares = draw.below(pool.total_unbonding_shares.max(1));
    position.index_snapshot = snapshot.into();
    position.owed = Owed {
        units: u128::from(draw.below(1 << 40)),
        frac: draw.below(SCALE as u64),
    }
    .into();
    position.unlock_ts = pool.last_update_ts + draw.below(2 * 86_400) as i64 - 86_400;
    position.total_claimed = draw.below(1 << 40);
    // Around the unlock time, before the pool's last update (its clock never runs back), or up
    // to ten years after.
    let span = [4 * 86_400, 10 * 31_536_000][draw.below(2) as usize];
    let now = pool.last_update_ts - 2 * 86_400 + draw.below(span) as i64;
    (pool, position, now)
}

/// A plain state to vary one field at a time: 1,000 base units staked at 10 % since
/// `T0`, nothing owed, books of a million, no loss.
const T0: i64 = 1_800_000_000;
const YEAR: i64 = 31_536_000;
fn plain() -> (Pool, Position) {
    let mut pool: Pool = bytemuck::Zeroable::zeroed();
    let mut position: Position = bytemuck::Zeroable::zeroed();
    pool.apr_bps = 1_000;
    pool.principal_index = SCALE.into();
    pool.checkpoint_ts = T0;
    pool.last_update_ts = T0;
    pool.total_staked_shares = 1_000;
    pool.principal = 1_000;
    pool.total_rewards_funded = 1_000_000;
    pool.limits = PoolLimits {
        reserve_bps: 2_000,
        min_deposit: 1,
        deposit_cap: u64::MAX,
        unbonding_period: 86_400,
        notice_period: 0,
    }
    .into();
    position.staked_shares = 1_000;
    position.unlock_ts = T0 + 86_400;
    (pool, position)
}

/// The edges a random state rarely hits, each named.
fn edge_cases() -> Vec<(&'static str, Pool, Position, i64)> {
    let mut cases = Vec::new();
    let mut case = |name, change: &dyn Fn(&mut Pool, &mut Position) -> i64| {
        let (mut pool, mut position) = plain();
        let now = change(&mut pool, &mut position);
        cases.push((name, pool, position, now));
    };
    case("everything written off: principal index 0", &|pool, _| {
        pool.principal_index = 0.into();
        T0 + YEAR
    });
    case("a loss of one part in 10^18", &|pool, _| {
        pool.principal_index = (SCALE - 1).into();
        T0 + YEAR
    });
    case("nothing staked: no runway figure", &|pool, position| {
        pool.total_staked_shares = 0;
        position.staked_shares = 0;
        T0 + YEAR
    });
    case(
        "fractions that add up to one whole unit",
        &|pool, position| {
            pool.apr_bps = 0;
            pool.index_checkpoint = 5.into();
            position.index_snapshot = 4.into();
            position.staked_shares = 1;
            position.owed = Owed {
                units: 7,
                frac: SCALE as u64 - 1,
            }
            .into();
            T0 + 10
        },
    );
    case("now is the unlock time", &|_, position| position.unlock_ts);
    case("now is the last update", &|pool, _| {
        pool.last_update_ts = T0 + 500;
        T0 + 500
    });
    case(
        "a clock behind the last update counts as the last update",
        &|pool, _| {
            pool.last_update_ts = T0 + YEAR;
            T0
        },
    );
    case("exactly three years", &|_, _| T0 + 3 * YEAR);
    case("owed beyond a u64, books of u64::MAX", &|pool, position| {
        position.owed = Owed {
            units: 1 << 70,
            frac: 0,
        }
        .into();
        pool.total_owed = Owed {
            units: 1 << 70,
            frac: 0,
        }
        .into();
        pool.total_rewards_funded = u64::MAX;
        T0 + YEAR
    });
    case("books that overflow a u64: no figures", &|pool, _| {
        pool.total_rewards_funded = u64::MAX;
        pool.total_interest_harvested = 1;
        T0 + YEAR
    });
    case("paid more than held: no figures", &|pool, _| {
        pool.total_rewards_paid = pool.total_rewards_funded + 1;
        T0 + YEAR
    });
    case("lent more than principal: no pool figures", &|pool, _| {
        pool.lent_principal = pool.principal + 1;
        T0 + YEAR
    });
    case(
        "a snapshot ahead of the index: no owed figure",
        &|pool, position| {
            pool.apr_bps = 0;
            position.index_snapshot = 1.into();
            T0 + YEAR
        },
    );
    case("the highest rate for the longest clock", &|pool, _| {
        pool.apr_bps = staking_pool::constants::MAX_APR_BPS;
        i64::MAX
    });
    case(
        "a surplus too large to scale: the runway saturates",
        &|pool, _| {
            pool.total_rewards_funded = u64::MAX;
            pool.apr_bps = 1;
            pool.total_staked_shares = 1;
            T0 + 1
        },
    );
    cases
}

fn owed_or_null(owed: Option<Owed>) -> Value {
    owed.map(owed_json).unwrap_or(Value::Null)
}

fn projection_vector(name: &str, pool: &Pool, position: &Position, now: i64) -> Value {
    json!({
        "case": name,
        "pool": account_hex(pool),
        "position": account_hex(position),
        "now": now.to_string(),
        "owed": owed_or_null(owed_at(pool, position, now)),
        "position_figures": position_figures(pool, position, now).map(|p| json!({
            "staked": p.staked.to_string(),
            "unbonding": p.unbonding.to_string(),
            "unlock_ts": p.unlock_ts.to_string(),
            "owed": p.owed.to_string(),
            "claimable": p.claimable.to_string(),
            "claimed": p.claimed.to_string(),
            "unlocked": p.unlocked,
        })),
        "pool_figures": pool_figures(pool, now).map(|f| json!({
            "total_staked": f.total_staked.to_string(),
            "total_unbonding": f.total_unbonding.to_string(),
            "losses": f.losses.to_string(),
            "principal_ppm": f.principal_ppm.to_string(),
            "idle": f.idle.to_string(),
            "lent": f.lent.to_string(),
            "reward_balance": f.reward_balance.to_string(),
            "liability": f.liability.to_string(),
            "runway_seconds": f.runway_seconds.map(|s| s.to_string()),
            "rewards_paid": f.rewards_paid.to_string(),
        })),
    })
}

fn projection_vectors() -> Vec<Value> {
    let mut draw = Draw(0x5eed_cafe_f00d_0001);
    let drawn: Vec<Value> = (0..48)
        .map(|i| {
            let (pool, position, now) = state(&mut draw);
            let vector = projection_vector(&format!("drawn {i}"), &pool, &position, now);
            assert!(
                !vector["position_figures"].is_null() && !vector["pool_figures"].is_null(),
                "a drawn state is one the program reaches: it has figures"
            );
            vector
        })
        .collect();
    let edges = edge_cases()
        .into_iter()
        .map(|(name, pool, position, now)| projection_vector(name, &pool, &position, now));
    drawn.into_iter().chain(edges).collect()
}

fn amount_vectors() -> Value {
    let inputs = [
        "1.5",
        "100",
        "0.000001",
        "0.0000001",
        "",
        "  ",
        "-1",
        "1e5",
        "1.2.3",
        ".5",
        "5.",
        ".",
        "007.50",
        "18446744073709.551615",
        "18446744073709.551616",
        "18446744073709551615",
        "99999999999999999999999",
        "1,000",
        " 42 ",
        "0",
    ];
    let parse: Vec<Value> = [0u8, 6, 9, 38, 39, 255]
        .iter()
        .flat_map(|&decimals| {
            inputs
                .iter()
                .map(move |input| match parse_ui_amount(input, decimals) {
                    Ok(raw) => {
                        json!({ "input": input, "decimals": decimals, "raw": raw.to_string() })
                    }
                    Err(e) => {
                        json!({ "input": input, "decimals": decimals, "error": e.to_string() })
                    }
                })
        })
        .collect();
    let raws: [u128; 7] = [
        0,
        1,
        1_500_000,
        1_234_567_890,
        u64::MAX as u128,
        10u128.pow(30) + 7,
        999,
    ];
    let format: Vec<Value> = [0u8, 2, 6, 9, 18, 40]
        .iter()
        .flat_map(|&decimals| {
            raws.iter().map(move |&raw| {
                json!({
                    "raw": raw.to_string(),
                    "decimals": decimals,
                    "plain": format_ui_amount(raw, decimals),
                    "grouped": format_ui_amount_grouped(raw, decimals),
                })
            })
        })
        .collect();
    json!({ "parse": parse, "format": format })
}

#[test]
fn typescript_vectors_match_the_rust_client() {
    let vectors = json!({
        "about": "Written by crates/stakepool-client/tests/ts_vectors.rs (STAKEPOOL_WRITE_VECTORS=1); read by clients/js/test/vectors.test.ts. Do not edit.",
        "projection": projection_vectors(),
        "amounts": amount_vectors(),
    });
    let text = serde_json::to_string_pretty(&vectors).expect("json") + "\n";
    if std::env::var_os("STAKEPOOL_WRITE_VECTORS").is_some() {
        std::fs::write(VECTORS, &text).expect("write clients/js/test/vectors.json");
        return;
    }
    let committed = std::fs::read_to_string(VECTORS).unwrap_or_default();
    assert!(
        committed == text,
        "clients/js/test/vectors.json is not what the Rust client gives today; run \
         `STAKEPOOL_WRITE_VECTORS=1 cargo test -p stakepool-client --test ts_vectors` and \
         check the TypeScript tests still pass"
    );
}
