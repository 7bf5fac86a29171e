//! Turning a failed instruction's custom error code back into its name and message, for
//! both programs and Anchor's own codes. Native (in-process) runs have no program logs to
//! read the name from, so the client maps codes itself.
use anchor_lang::error::ERROR_CODE_OFFSET;
use anchor_lang::prelude::Pubkey;

/// Name and message of `code` raised by `program`, when the code is known.
pub fn describe(program: &Pubkey, code: u32) -> Option<(String, String)> {
    if code >= ERROR_CODE_OFFSET {
        let index = usize::try_from(code - ERROR_CODE_OFFSET).ok()?;
        if *program == crate::program_ids::staking_pool() {
            let error = staking_pool::errors::StakingError::ALL.get(index)?;
            return Some((error.name(), error.to_string()));
        }
        if *program == crate::program_ids::lending() {
            let error = mock_lending::errors::LendingError::ALL.get(index)?;
            return Some((error.name(), error.to_string()));
        }
        return None;
    }
    anchor_code(code)
}

/// Anchor's framework codes the programs can raise (account validation failures).
fn anchor_code(code: u32) -> Option<(String, String)> {
    use anchor_lang::error::ErrorCode as A;
    let known = [
        A::ConstraintMut,
        A::ConstraintHasOne,
        A::ConstraintSigner,
        A::ConstraintRaw,
        A::ConstraintOwner,
        A::ConstraintSeeds,
        A::ConstraintAddress,
        A::ConstraintTokenMint,
        A::ConstraintTokenOwner,
        A::ConstraintMintTokenProgram,
        A::ConstraintTokenTokenProgram,
        A::ConstraintDuplicateMutableAccount,
        A::AccountDiscriminatorMismatch,
        A::AccountDiscriminatorNotFound,
        A::AccountDidNotDeserialize,
        A::AccountNotEnoughKeys,
        A::AccountNotMutable,
        A::AccountOwnedByWrongProgram,
        A::InvalidProgramId,
        A::InvalidProgramExecutable,
        A::AccountNotSigner,
        A::AccountNotSystemOwned,
        A::AccountNotInitialized,
        A::InstructionFallbackNotFound,
        A::InstructionDidNotDeserialize,
    ];
    known
        .into_iter()
        .find(|error| *error as u32 == code)
        .map(|error| (error.name(), error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use staking_pool::errors::StakingError;

    #[test]
    fn codes_map_back_to_names() {
        let code = ERROR_CODE_OFFSET + StakingError::PoolPaused as u32;
        let (name, message) = describe(&staking_pool::ID, code).unwrap();
        assert_eq!(name, "PoolPaused");
        assert!(message.contains("paused"));
        let code =
            ERROR_CODE_OFFSET + mock_lending::errors::LendingError::InsufficientLiquidity as u32;
        assert_eq!(
            describe(&mock_lending::ID, code).unwrap().0,
            "InsufficientLiquidity"
        );
        let seeds = anchor_lang::error::ErrorCode::ConstraintSeeds as u32;
        assert_eq!(
            describe(&staking_pool::ID, seeds).unwrap().0,
            "ConstraintSeeds"
        );
        assert_eq!(describe(&staking_pool::ID, 9_999), None);
    }
}
