//! `error_enum!`: a program's error enum and, from the same list, `ALL` in code order, so a
//! client turns a code back into its name without a second list to keep in step.

/// Declares `$name` as an Anchor `#[error_code]` enum with the variants given, and
/// `$name::ALL`, every variant in code order (code = 6000 + index).
#[macro_export]
macro_rules! error_enum {
    ($(#[$enum_meta:meta])* $name:ident { $($(#[$meta:meta])* $variant:ident,)* }) => {
        $(#[$enum_meta])*
        #[$crate::error_enum::error_code]
        pub enum $name {
            $($(#[$meta])* $variant,)*
        }

        impl $name {
            /// Every variant, in code order (code = 6000 + index).
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
        }
    };
}

/// Anchor's attribute, reachable from the macro wherever it expands.
pub use anchor_lang::prelude::error_code;
