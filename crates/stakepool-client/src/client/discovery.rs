//! Finding pools and positions without knowing their addresses: `getProgramAccounts` with
//! memcmp filters on the accounts' Borsh layout (discriminator, then the fields in order).
use anchor_lang::Discriminator;

use crate::transport::Memcmp;

use super::*;

/// Byte offsets of the fields the filters match (8 bytes of discriminator first).
pub mod offsets {
    /// `Pool`: creator (32), pool_id (2), admin (32), pending_admin (32), stake_mint (32).
    pub const POOL_ADMIN: usize = 8 + 32 + 2;
    pub const POOL_STAKE_MINT: usize = POOL_ADMIN + 32 + 32;
    /// `Position`: owner (32), pool (32).
    pub const POSITION_OWNER: usize = 8;
}

fn is(discriminator: &[u8]) -> Memcmp {
    Memcmp {
        offset: 0,
        bytes: discriminator.to_vec(),
    }
}

fn key_at(offset: usize, key: &Pubkey) -> Memcmp {
    Memcmp {
        offset,
        bytes: key.to_bytes().to_vec(),
    }
}

impl<T: Transport> StakeClient<T> {
    /// Every pool of the program, of `mint` and of `admin` when given, by address.
    pub async fn pools(
        &self,
        mint: Option<&Pubkey>,
        admin: Option<&Pubkey>,
    ) -> Result<Vec<PoolContext>, ClientError> {
        let mut filters = vec![is(Pool::DISCRIMINATOR)];
        filters.extend(mint.map(|m| key_at(offsets::POOL_STAKE_MINT, m)));
        filters.extend(admin.map(|a| key_at(offsets::POOL_ADMIN, a)));
        let found = self
            .transport
            .program_accounts(&staking_pool::ID, &filters)
            .await
            .map_err(ClientError::Transport)?;
        let mut pools = Vec::with_capacity(found.len());
        for (address, account) in found {
            pools.push(self.pool_context(address, &account.data).await?);
        }
        pools.sort_by_key(|ctx| ctx.address);
        Ok(pools)
    }

    /// Every position `owner` holds, with its pool's context, by pool address.
    pub async fn positions_of(
        &self,
        owner: &Pubkey,
    ) -> Result<Vec<(PoolContext, Position)>, ClientError> {
        let filters = [
            is(Position::DISCRIMINATOR),
            key_at(offsets::POSITION_OWNER, owner),
        ];
        let found = self
            .transport
            .program_accounts(&staking_pool::ID, &filters)
            .await
            .map_err(ClientError::Transport)?;
        let mut positions = Vec::with_capacity(found.len());
        for (_, account) in found {
            let position: Position = accounts::anchor(&account.data, "position")?;
            positions.push((self.pool(&position.pool).await?, position));
        }
        positions.sort_by_key(|(ctx, _)| ctx.address);
        Ok(positions)
    }
}
