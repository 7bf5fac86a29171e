//! A position's history from the program's events in transaction logs: what each landed
//! transaction did to an owner's positions. Pure: the client fetches the logs
//! (`StakeClient::history`), this reads them.
//!
//! An event counts only when the staking pool program itself logged it: the invocation
//! frames in the logs are followed, so a line another program logs in the same shape is
//! ignored. Logs the node cut short ("Log truncated") or did not keep make an entry that says
//! so, never a silent gap.
use anchor_lang::prelude::Pubkey;
use anchor_lang::{AnchorDeserialize, Discriminator};
use base64::Engine;
use staking_pool::events;

/// What one event did to a position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Activity {
    Opened,
    Deposited {
        amount: u64,
    },
    /// `amount` left the position; `paid` reached the owner (less a lending recall's share
    /// rounding).
    Withdrawn {
        amount: u64,
        paid: u64,
    },
    WithdrawnInKind {
        amount: u64,
        in_tokens: u64,
        in_kind: u64,
        receipt_shares: u64,
    },
    UnbondRequested {
        amount: u64,
        unlock_ts: i64,
    },
    /// Rewards paid out; `still_owed` stayed owed because the reward vault was short.
    Claimed {
        amount: u64,
        still_owed: u64,
    },
    /// Rewards added to principal.
    Compounded {
        amount: u64,
    },
    Closed,
}

impl Activity {
    /// The name reports and CSV use.
    pub fn kind(&self) -> &'static str {
        match self {
            Activity::Opened => "open",
            Activity::Deposited { .. } => "deposit",
            Activity::Withdrawn { .. } => "withdraw",
            Activity::WithdrawnInKind { .. } => "withdraw_in_kind",
            Activity::UnbondRequested { .. } => "request_unbond",
            Activity::Claimed { .. } => "claim",
            Activity::Compounded { .. } => "compound",
            Activity::Closed => "close",
        }
    }

    /// The amount of tokens the entry is about (principal or rewards), if any.
    pub fn amount(&self) -> Option<u64> {
        match *self {
            Activity::Opened | Activity::Closed => None,
            Activity::Deposited { amount }
            | Activity::Withdrawn { amount, .. }
            | Activity::WithdrawnInKind { amount, .. }
            | Activity::UnbondRequested { amount, .. }
            | Activity::Claimed { amount, .. }
            | Activity::Compounded { amount } => Some(amount),
        }
    }
}

/// One event of an owner's position, as logged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub pool: Pubkey,
    pub owner: Pubkey,
    pub activity: Activity,
}

/// What a transaction's logs hold for positions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decoded {
    pub events: Vec<Event>,
    /// The node cut the logs short: events after the cut are not in them.
    pub truncated: bool,
    /// The program ran in the transaction and logged no event at all (each instruction of
    /// the pool that changes an account logs one).
    pub silent: bool,
}

/// The position events `program` logged, in order.
pub fn events_in_logs(program: &Pubkey, logs: &[String]) -> Decoded {
    let program = program.to_string();
    let mut frames: Vec<&str> = Vec::new();
    let mut decoded = Decoded::default();
    let (mut invoked, mut logged) = (false, false);
    for line in logs {
        if line == "Log truncated" {
            decoded.truncated = true;
            continue;
        }
        if let Some(data) = line.strip_prefix("Program data: ") {
            if frames.last() == Some(&program.as_str()) {
                logged = true;
                decoded.events.extend(decode(data));
            }
            continue;
        }
        let Some(rest) = line.strip_prefix("Program ") else {
            continue;
        };
        let Some((id, what)) = rest.split_once(' ') else {
            continue;
        };
        if what.starts_with("invoke [") {
            invoked |= id == program;
            frames.push(id);
        } else if (what == "success" || what.starts_with("failed")) && frames.last() == Some(&id) {
            frames.pop();
        }
    }
    decoded.silent = invoked && !logged;
    decoded
}

/// One `Program data:` line (`sol_log_data`: base64 fields separated by spaces; an Anchor
/// event is one field, its discriminator then its Borsh encoding).
fn decode(data: &str) -> Option<Event> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.split(' ').next()?)
        .ok()?;
    fn parse<E: Discriminator + AnchorDeserialize>(bytes: &[u8]) -> Option<E> {
        E::try_from_slice(bytes.strip_prefix(E::DISCRIMINATOR)?).ok()
    }
    let event = |pool, owner, activity| {
        Some(Event {
            pool,
            owner,
            activity,
        })
    };
    if let Some(e) = parse::<events::PositionOpened>(&bytes) {
        return event(e.pool, e.owner, Activity::Opened);
    }
    if let Some(e) = parse::<events::Deposited>(&bytes) {
        return event(e.pool, e.owner, Activity::Deposited { amount: e.amount });
    }
    if let Some(e) = parse::<events::Withdrawn>(&bytes) {
        let activity = Activity::Withdrawn {
            amount: e.amount,
            paid: e.paid,
        };
        return event(e.pool, e.owner, activity);
    }
    if let Some(e) = parse::<events::WithdrawnInKind>(&bytes) {
        let activity = Activity::WithdrawnInKind {
            amount: e.amount,
            in_tokens: e.in_tokens,
            in_kind: e.in_kind,
            receipt_shares: e.receipt_shares,
        };
        return event(e.pool, e.owner, activity);
    }
    if let Some(e) = parse::<events::UnbondRequested>(&bytes) {
        let activity = Activity::UnbondRequested {
            amount: e.amount,
            unlock_ts: e.unlock_ts,
        };
        return event(e.pool, e.owner, activity);
    }
    if let Some(e) = parse::<events::Claimed>(&bytes) {
        let activity = Activity::Claimed {
            amount: e.amount,
            still_owed: e.still_owed,
        };
        return event(e.pool, e.owner, activity);
    }
    if let Some(e) = parse::<events::Compounded>(&bytes) {
        return event(e.pool, e.owner, Activity::Compounded { amount: e.amount });
    }
    if let Some(e) = parse::<events::PositionClosed>(&bytes) {
        return event(e.pool, e.owner, Activity::Closed);
    }
    None
}

/// Sums over an owner's entries in one pool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub deposited: u128,
    /// Principal that left the position, in tokens or in kind.
    pub withdrawn: u128,
    /// Rewards paid out by claims.
    pub claimed: u128,
    /// Rewards added to principal.
    pub compounded: u128,
}

impl Totals {
    pub fn add(&mut self, activity: &Activity) {
        match *activity {
            Activity::Deposited { amount } => self.deposited += u128::from(amount),
            Activity::Withdrawn { amount, .. } | Activity::WithdrawnInKind { amount, .. } => {
                self.withdrawn += u128::from(amount)
            }
            Activity::Claimed { amount, .. } => self.claimed += u128::from(amount),
            Activity::Compounded { amount } => self.compounded += u128::from(amount),
            Activity::Opened | Activity::UnbondRequested { .. } | Activity::Closed => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data_line(event: &impl anchor_lang::Event) -> String {
        let bytes = event.data();
        format!(
            "Program data: {}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )
    }

    fn claimed(pool: Pubkey, owner: Pubkey, amount: u64) -> events::Claimed {
        events::Claimed {
            pool,
            owner,
            amount,
            still_owed: 3,
            total_rewards_paid: amount,
        }
    }

    #[test]
    fn an_event_counts_only_inside_the_programs_own_frame() {
        let program = staking_pool::ID;
        let (pool, owner) = (Pubkey::new_unique(), Pubkey::new_unique());
        let other = Pubkey::new_unique();
        let logs = vec![
            format!("Program {other} invoke [1]"),
            // Another program logging the pool's event shape: not the pool's event.
            data_line(&claimed(pool, owner, 1_000_000)),
            format!("Program {program} invoke [2]"),
            "Program log: Instruction: Claim".to_string(),
            data_line(&claimed(pool, owner, 90)),
            format!("Program {program} consumed 100 of 200 compute units"),
            format!("Program {program} success"),
            // Back in the caller's frame.
            data_line(&claimed(pool, owner, 2_000_000)),
            format!("Program {other} success"),
        ];
        let decoded = events_in_logs(&program, &logs);
        assert_eq!(
            decoded.events,
            vec![Event {
                pool,
                owner,
                activity: Activity::Claimed {
                    amount: 90,
                    still_owed: 3
                },
            }]
        );
        assert!(!decoded.truncated);
    }

    #[test]
    fn truncated_logs_are_flagged() {
        let program = staking_pool::ID;
        let logs = vec![
            format!("Program {program} invoke [1]"),
            "Log truncated".to_string(),
        ];
        let decoded = events_in_logs(&program, &logs);
        assert!(decoded.truncated);
        assert!(decoded.events.is_empty());
    }

    #[test]
    fn a_run_of_the_program_without_any_event_is_silent() {
        let program = staking_pool::ID;
        let ran = |lines: Vec<String>| {
            let mut logs = vec![format!("Program {program} invoke [1]")];
            logs.extend(lines);
            logs.push(format!("Program {program} success"));
            events_in_logs(&program, &logs)
        };
        assert!(ran(vec!["Program log: Instruction: Claim".into()]).silent);
        let paused = data_line(&events::PauseChanged {
            pool: Pubkey::new_unique(),
            paused: true,
        });
        // An event of another kind is still an event: the run is not silent.
        assert!(!ran(vec![paused]).silent);
        // A transaction that never ran the program is not silent about it.
        let other = Pubkey::new_unique();
        let logs = vec![
            format!("Program {other} invoke [1]"),
            format!("Program {other} success"),
        ];
        assert!(!events_in_logs(&program, &logs).silent);
    }

    #[test]
    fn every_position_event_decodes_to_its_activity() {
        let program = staking_pool::ID;
        let (pool, owner, position) = (
            Pubkey::new_unique(),
            Pubkey::new_unique(),
            Pubkey::new_unique(),
        );
        let lines = [
            data_line(&events::PositionOpened {
                pool,
                owner,
                position,
            }),
            data_line(&events::Deposited {
                pool,
                owner,
                amount: 500,
                shares: 500,
                position_staked: 500,
                total_staked: 500,
            }),
            data_line(&events::UnbondRequested {
                pool,
                owner,
                amount: 200,
                shares: 200,
                position_unbonding: 200,
                unlock_ts: 86_400,
                total_unbonding: 200,
            }),
            data_line(&events::Withdrawn {
                pool,
                owner,
                amount: 200,
                recalled: 50,
                recall_cost: 1,
                paid: 199,
                position_staked: 300,
                position_unbonding: 0,
                total_staked: 300,
                total_unbonding: 0,
            }),
            data_line(&events::Compounded {
                pool,
                owner,
                amount: 7,
                shares: 7,
                still_owed: 0,
                position_staked: 307,
                total_staked: 307,
            }),
            data_line(&events::WithdrawnInKind {
                pool,
                owner,
                amount: 307,
                in_tokens: 100,
                in_kind: 207,
                receipt_shares: 190,
                to_receipt: Pubkey::new_unique(),
                position_staked: 0,
                position_unbonding: 0,
                lent_principal: 0,
            }),
            data_line(&events::PositionClosed {
                pool,
                owner,
                position,
                forfeited_scaled: 0,
            }),
        ];
        let mut logs = vec![format!("Program {program} invoke [1]")];
        logs.extend(lines);
        logs.push(format!("Program {program} success"));
        let activities: Vec<Activity> = events_in_logs(&program, &logs)
            .events
            .into_iter()
            .map(|event| event.activity)
            .collect();
        assert_eq!(
            activities,
            vec![
                Activity::Opened,
                Activity::Deposited { amount: 500 },
                Activity::UnbondRequested {
                    amount: 200,
                    unlock_ts: 86_400
                },
                Activity::Withdrawn {
                    amount: 200,
                    paid: 199
                },
                Activity::Compounded { amount: 7 },
                Activity::WithdrawnInKind {
                    amount: 307,
                    in_tokens: 100,
                    in_kind: 207,
                    receipt_shares: 190
                },
                Activity::Closed,
            ]
        );
        let mut totals = Totals::default();
        activities.iter().for_each(|a| totals.add(a));
        assert_eq!(
            totals,
            Totals {
                deposited: 500,
                withdrawn: 507,
                claimed: 0,
                compounded: 7
            }
        );
    }

    #[test]
    fn an_event_of_another_kind_or_malformed_data_is_not_a_position_event() {
        let program = staking_pool::ID;
        let logs = vec![
            format!("Program {program} invoke [1]"),
            data_line(&events::PauseChanged {
                pool: Pubkey::new_unique(),
                paused: true,
            }),
            "Program data: not-base64!".to_string(),
            format!("Program {program} success"),
        ];
        assert!(events_in_logs(&program, &logs).events.is_empty());
    }
}
