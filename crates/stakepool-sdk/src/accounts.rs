//! Decoding the accounts the client reads: the programs' Anchor accounts, token accounts,
//! mints and the Clock sysvar.
use anchor_lang::{AccountDeserialize, ZeroCopy};
use anchor_spl::token_2022::spl_token_2022::{
    extension::StateWithExtensions,
    state::{Account as TokenAccountState, Mint as MintState},
};
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
#[error("account is not a valid {0}")]
pub struct DecodeError(pub &'static str);

/// Decodes a Borsh Anchor account (discriminator checked).
pub fn anchor<T: AccountDeserialize>(data: &[u8], what: &'static str) -> Result<T, DecodeError> {
    T::try_deserialize(&mut &data[..]).map_err(|_| DecodeError(what))
}

/// Decodes a zero-copy Anchor account (`Pool`, `Position`): discriminator checked, and the
/// data exactly the discriminator and the struct (any other length is refused, not read).
pub fn zero_copy<T: ZeroCopy>(data: &[u8], what: &'static str) -> Result<T, DecodeError> {
    let discriminator = T::DISCRIMINATOR;
    match data.split_at_checked(discriminator.len()) {
        Some((given, state)) if given == discriminator && state.len() == size_of::<T>() => {
            Ok(bytemuck::pod_read_unaligned(state))
        }
        _ => Err(DecodeError(what)),
    }
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

/// Rent-exempt minimum for `space` bytes from the Rent sysvar's data (bincode:
/// lamports_per_byte_year u64, exemption_threshold f64, burn_percent u8), computed as the
/// runtime does: `(128 + space) × lamports_per_byte_year × exemption_threshold`.
pub fn rent_exempt_minimum(rent_sysvar: &[u8], space: usize) -> Result<u64, DecodeError> {
    let field = |range: std::ops::Range<usize>| -> Result<[u8; 8], DecodeError> {
        rent_sysvar
            .get(range)
            .and_then(|b| b.try_into().ok())
            .ok_or(DecodeError("rent sysvar"))
    };
    let per_byte_year = u64::from_le_bytes(field(0..8)?);
    let threshold = f64::from_le_bytes(field(8..16)?);
    const ACCOUNT_STORAGE_OVERHEAD: u64 = 128;
    let bytes = ACCOUNT_STORAGE_OVERHEAD + space as u64;
    Ok((bytes.saturating_mul(per_byte_year) as f64 * threshold) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rent_matches_the_runtime_formula_for_the_default_rent() {
        // Default Rent: 3,480 lamports per byte-year, 2 years to be exempt.
        let mut data = 3_480u64.to_le_bytes().to_vec();
        data.extend(2.0f64.to_le_bytes());
        data.push(50);
        assert_eq!(rent_exempt_minimum(&data, 82), Ok(1_461_600));
        assert_eq!(rent_exempt_minimum(&data, 165), Ok(2_039_280));
        assert!(rent_exempt_minimum(&data[..10], 82).is_err());
    }
}
