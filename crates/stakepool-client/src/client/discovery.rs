//! Finding pools and positions without knowing their addresses: `getProgramAccounts` with
//! memcmp filters on the accounts' fixed (zero-copy) layout: the discriminator, then the
//! struct as the program lays it out.
use core::mem::offset_of;

use anchor_lang::Discriminator;

use crate::transport::Memcmp;

use super::*;

/// Byte offsets of the fields the filters match (8 bytes of discriminator first).
pub mod offsets {
    use super::*;

    const DISCRIMINATOR: usize = 8;
    pub const POOL_ADMIN: usize = DISCRIMINATOR + offset_of!(Pool, admin);
    pub const POOL_STAKE_MINT: usize = DISCRIMINATOR + offset_of!(Pool, stake_mint);
    pub const POSITION_OWNER: usize = DISCRIMINATOR + offset_of!(Position, owner);
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
    /// Every pool of the program (of `mint`, of `admin`), by address. An account that matches
    /// but cannot be read as a pool of this version (another layout, a mint gone) is skipped
    /// and listed with why, never a reason to list nothing.
    pub async fn pools(
        &self,
        mint: Option<&Pubkey>,
        admin: Option<&Pubkey>,
    ) -> Result<Listed, ClientError> {
        let mut filters = vec![is(Pool::DISCRIMINATOR)];
        filters.extend(mint.map(|m| key_at(offsets::POOL_STAKE_MINT, m)));
        filters.extend(admin.map(|a| key_at(offsets::POOL_ADMIN, a)));
        let found = self
            .transport
            .program_accounts(&crate::program_ids::staking_pool(), &filters)
            .await
            .map_err(ClientError::Transport)?;
        let mut listed = Listed::default();
        for (address, account) in found {
            match self.pool_context(address, &account.data).await {
                Ok(ctx) => listed.pools.push(ctx),
                Err(error @ ClientError::Transport(_)) => return Err(error),
                Err(error) => listed.skipped.push((address, error.to_string())),
            }
        }
        listed.pools.sort_by_key(|ctx| ctx.address);
        Ok(listed)
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
            .program_accounts(&crate::program_ids::staking_pool(), &filters)
            .await
            .map_err(ClientError::Transport)?;
        let mut positions = Vec::with_capacity(found.len());
        for (_, account) in found {
            let position: Position = accounts::zero_copy(&account.data, "position")?;
            positions.push((self.pool(&position.pool).await?, position));
        }
        positions.sort_by_key(|(ctx, _)| ctx.address);
        Ok(positions)
    }
}

/// What `pools` found: the pools it could read, and the accounts it skipped with why.
#[derive(Default)]
pub struct Listed {
    pub pools: Vec<PoolContext>,
    pub skipped: Vec<(Pubkey, String)>,
}
