//! Auto-pagination: a lazy stream of pages, each asked for with the cursor (a token, an id, a
//! URL) the previous one gave, and a stream of items that holds one page at a time.

use crate::error::Error;
use futures_core::Stream;
use std::collections::{BTreeSet, VecDeque};
use std::future::Future;
use std::pin::Pin;

/// What `pages()` and `items()` return: a stream of `T`, boxed so that it has a name (it can be
/// a struct's field).
pub type Paged<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'static>>;

/// Pages of a token-paginated operation, fetched one at a time as the stream is polled. Each
/// request after the first is `request` again with the previous page's token. The stream ends
/// after a page with no (or an empty) token, and fails instead of looping if the server hands out
/// a token it already gave.
#[doc(hidden)]
pub fn pages<R, P, SendPage, Fut, Next>(
    request: R,
    first_token: Option<String>,
    send: SendPage,
    next_token: Next,
) -> Paged<P>
where
    R: Clone + Send + 'static,
    P: Send + 'static,
    SendPage: Fn(R, Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<P, Error>> + Send,
    Next: Fn(&P) -> Option<String> + Send + 'static,
{
    enum State {
        Next(Option<String>),
        Fail(Error),
        Done,
    }
    let seen = BTreeSet::new();
    Box::pin(futures_util::stream::unfold(
        (State::Next(first_token), seen, request, send, next_token),
        |(state, mut seen, request, send, next_token)| async move {
            let token = match state {
                State::Next(token) => token,
                State::Fail(e) => {
                    return Some((Err(e), (State::Done, seen, request, send, next_token)))
                }
                State::Done => return None,
            };
            let page = match send(request.clone(), token).await {
                Ok(page) => page,
                Err(e) => return Some((Err(e), (State::Done, seen, request, send, next_token))),
            };
            let next = match next_token(&page).filter(|t| !t.is_empty()) {
                None => State::Done,
                // The cursor is not shown: a next page's URL may carry a token.
                Some(t) if !seen.insert(t.clone()) => State::Fail(Error::Pagination(
                    "the server gave the same cursor a second time; stopping instead of looping"
                        .to_string(),
                )),
                Some(t) => State::Next(Some(t)),
            };
            Some((Ok(page), (next, seen, request, send, next_token)))
        },
    ))
}

/// The items of every page, in order; only the current page's items are held.
#[doc(hidden)]
pub fn items<P, T, Items>(pages: Paged<P>, items_of: Items) -> Paged<T>
where
    P: Send + 'static,
    T: Send + 'static,
    Items: Fn(P) -> Vec<T> + Send + 'static,
{
    Box::pin(futures_util::stream::unfold(
        (pages, VecDeque::new(), items_of),
        |(mut pages, mut buffer, items_of)| async move {
            loop {
                if let Some(item) = buffer.pop_front() {
                    return Some((Ok(item), (pages, buffer, items_of)));
                }
                match std::future::poll_fn(|cx| pages.as_mut().poll_next(cx)).await? {
                    Ok(page) => buffer.extend(items_of(page)),
                    Err(e) => return Some((Err(e), (pages, buffer, items_of))),
                }
            }
        },
    ))
}

/// The bodies of pages that were fetched with their status and headers.
#[doc(hidden)]
pub fn bodies<T>(pages: Paged<crate::wire::ApiResponse<T>>) -> Paged<T>
where
    T: Send + 'static,
{
    use futures_util::StreamExt as _;
    Box::pin(pages.map(|page| page.map(crate::wire::ApiResponse::into_body)))
}

/// The `rel="next"` URL of a `Link` header (RFC 8288), if there is one.
#[doc(hidden)]
pub fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get_all(reqwest::header::LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|link| {
            let (target, params) = link.trim().split_once(';')?;
            let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
            let next = params.split(';').any(|p| {
                let Some((key, value)) = p.split_once('=') else {
                    return false;
                };
                key.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("next"))
            });
            next.then(|| target.to_string())
        })
}
