//! Decoding the accounts the client reads: the programs' Anchor accounts, token accounts,
//! mints and the Clock sysvar.
use anchor_lang::AccountDeserialize;
use anchor_spl::token_2022::spl_token_2022::{
    extension::StateWithExtensions,
    state::{Account as TokenAccountState, Mint as MintState},
};
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
#[error("account is not a valid {0}")]
pub struct DecodeError(pub &'static str);

/// Decodes an Anchor account (discriminator checked).
pub fn anchor<T: AccountDeserialize>(data: &[u8], what: &'static str) -> Result<T, DecodeError> {
    T::try_deserialize(&mut &data[..]).map_err(|_| DecodeError(what))
}

/// Balance of an SPL Token or Token-2022 account.
pub fn token_amount(data: &[u8]) -> Result<u64, DecodeError> {
    StateWithExtensions::<TokenAccountState>::unpack(data)
        .map(|state| state.base.amount)
        .map_err(|_| DecodeError("token account"))
}

/// Decimals of an SPL Token or Token-2022 mint.
pub fn mint_decimals(data: &[u8]) -> Result<u8, DecodeError> {
    StateWithExtensions::<MintState>::unpack(data)
        .map(|state| state.base.decimals)
        .map_err(|_| DecodeError("mint"))
}

/// Supply of a mint.
pub fn mint_supply(data: &[u8]) -> Result<u64, DecodeError> {
    StateWithExtensions::<MintState>::unpack(data)
        .map(|state| state.base.supply)
        .map_err(|_| DecodeError("mint"))
}

/// `unix_timestamp` of the Clock sysvar's data (bincode: slot, epoch_start_timestamp, epoch,
/// leader_schedule_epoch, unix_timestamp — five 8-byte little-endian fields).
pub fn clock_unix_timestamp(data: &[u8]) -> Result<i64, DecodeError> {
    let bytes: [u8; 8] = data
        .get(32..40)
        .and_then(|b| b.try_into().ok())
        .ok_or(DecodeError("clock sysvar"))?;
    Ok(i64::from_le_bytes(bytes))
}
