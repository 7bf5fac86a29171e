//! Recognising an existing program-derived address from its stored bump with one hash
//! (`Pubkey::derive_address`, ~200 CU in the VM), where Anchor's `seeds = [..], bump = stored`
//! calls `create_program_address` (~1,500 CU: the hash plus a curve check). The curve check is
//! what makes an address a PDA at all; it was made once, when the account was created at the
//! canonical bump (`find_program_address`, whose bump the account stores), and the same seeds
//! and bump always hash to that same address, so comparing the hash is enough to recognise it.
//! Creation still goes through Anchor's `seeds` + `bump`.
use anchor_lang::prelude::Pubkey;

/// Whether `address` is the program address of `seeds` and `bump` under `program_id`.
pub fn is_program_address<const N: usize>(
    address: &Pubkey,
    seeds: &[&[u8]; N],
    bump: u8,
    program_id: &Pubkey,
) -> bool {
    Pubkey::derive_address(seeds, Some(bump), program_id) == *address
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_find_program_address() {
        let program = Pubkey::new_unique();
        for i in 0..50u8 {
            let owner = Pubkey::new_unique();
            let seeds: [&[u8]; 3] = [b"position", &[i], owner.as_ref()];
            let (address, bump) = Pubkey::find_program_address(&seeds, &program);
            assert!(is_program_address(&address, &seeds, bump, &program));
            assert!(!is_program_address(
                &address,
                &seeds,
                bump.wrapping_sub(1),
                &program
            ));
            assert!(!is_program_address(&owner, &seeds, bump, &program));
            let other: [&[u8]; 3] = [b"position", &[i.wrapping_add(1)], owner.as_ref()];
            assert!(!is_program_address(&address, &other, bump, &program));
            assert!(!is_program_address(
                &address,
                &seeds,
                bump,
                &Pubkey::new_unique()
            ));
        }
    }
}
