//! `-v`: the addresses a command works with, printed on stderr beside its report.
use anchor_lang::prelude::Pubkey;
use stakepool_client::client::PoolContext;

/// The pool's derived addresses, and the signer's own position and token account when the
/// command acts as someone: a read-only command runs with a throwaway key, whose "position"
/// would be an address nobody owns.
pub fn derived_addresses(ctx: &PoolContext, signer: Option<(Pubkey, Pubkey)>) -> Vec<String> {
    let keys = &ctx.keys;
    let mut lines = vec![
        format!("Pool:               {}", ctx.address),
        format!("Vault:              {}", keys.vault),
        format!("Reward vault:       {}", keys.reward_vault),
    ];
    if let Some((position, token_account)) = signer {
        lines.push(format!("Your position:      {position}"));
        lines.push(format!("Your token account: {token_account}"));
    }
    if let Some(lending) = &keys.lending {
        lines.push(format!("Lending market:     {}", lending.market));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use stakepool_client::PoolKeys;
    use staking_pool::state::Pool;

    fn context() -> PoolContext {
        let pool = Pool {
            lending_market: Pool::NO_MARKET,
            ..bytemuck::Zeroable::zeroed()
        };
        let address = Pubkey::new_unique();
        PoolContext {
            address,
            keys: PoolKeys::from_pool(address, &pool),
            pool,
            unrecognised_loss: 0,
            decimals: 6,
        }
    }

    #[test]
    fn only_a_command_that_acts_as_someone_names_their_accounts() {
        let ctx = context();
        let read_only = derived_addresses(&ctx, None);
        assert!(read_only.iter().all(|line| !line.starts_with("Your")));
        assert_eq!(read_only.len(), 3);
        let (position, token) = (Pubkey::new_unique(), Pubkey::new_unique());
        let acting = derived_addresses(&ctx, Some((position, token)));
        assert!(acting.contains(&format!("Your position:      {position}")));
        assert!(acting.contains(&format!("Your token account: {token}")));
    }
}
