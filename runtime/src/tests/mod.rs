//! The runtime's unit tests, one file per module: generated crates copy the modules as they
//! stand, without these.

mod auth;
mod client;
mod error;
mod json;
mod pagination;
mod receiver;
mod retry;
mod wire;
mod zoom;
