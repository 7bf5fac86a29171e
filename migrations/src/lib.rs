//! Deployment from a config file: `config` reads and checks it, `plan` compares it with the
//! cluster, `apply` carries the plan out through the client library. Idempotent: a second
//! run of the same config plans nothing.
pub mod apply;
pub mod config;
pub mod plan;

pub use apply::apply;
pub use config::DeployConfig;
pub use plan::{plan, PoolPlan, Step};

/// The plan as the user reads it: one line per step, grouped by pool.
pub fn render(plans: &[PoolPlan]) -> String {
    let mut out = String::new();
    for plan in plans {
        if plan.steps.is_empty() {
            out.push_str(&format!(
                "pool '{}' ({}): up to date\n",
                plan.name, plan.pool
            ));
            continue;
        }
        out.push_str(&format!("pool '{}' ({}):\n", plan.name, plan.pool));
        for (n, step) in plan.steps.iter().enumerate() {
            out.push_str(&format!("  {}. {step}\n", n + 1));
        }
    }
    out
}

/// Whether there is anything to do.
pub fn is_empty(plans: &[PoolPlan]) -> bool {
    plans.iter().all(|p| p.steps.is_empty())
}
