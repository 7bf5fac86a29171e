//! The pool as a handler works on it: its state copied out of the zero-copy account (one
//! `memcpy`), with the account it came from. The pool signs CPIs (vault transfers, lending),
//! and a CPI may not run while a program holds a borrow of an account it passes, so handlers
//! that sign with the pool work on this copy and write it back with `save` once at the end.
use core::ops::{Deref, DerefMut};

use anchor_lang::prelude::*;

use crate::state::Pool;

pub struct LoadedPool<'a, 'info> {
    account: &'a AccountLoader<'info, Pool>,
    state: Pool,
}

impl<'a, 'info> LoadedPool<'a, 'info> {
    /// Copies the pool's state out of `account` (whose owner and discriminator Anchor checked).
    pub fn load(account: &'a AccountLoader<'info, Pool>) -> Result<Self> {
        let state = *account.load()?;
        Ok(Self { account, state })
    }

    /// Writes the state back into the account.
    pub fn save(&self) -> Result<()> {
        *self.account.load_mut()? = self.state;
        Ok(())
    }

    pub fn key(&self) -> Pubkey {
        self.account.key()
    }

    pub fn to_account_info(&self) -> AccountInfo<'info> {
        self.account.to_account_info()
    }
}

/// The pool's account, for the CPIs it signs (`ToAccountInfo`).
impl<'info> AsRef<AccountInfo<'info>> for LoadedPool<'_, 'info> {
    fn as_ref(&self) -> &AccountInfo<'info> {
        self.account.as_ref()
    }
}

impl Deref for LoadedPool<'_, '_> {
    type Target = Pool;

    fn deref(&self) -> &Pool {
        &self.state
    }
}

impl DerefMut for LoadedPool<'_, '_> {
    fn deref_mut(&mut self) -> &mut Pool {
        &mut self.state
    }
}
