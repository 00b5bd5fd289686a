//! Auto-pagination over `next_page_token`: a lazy stream of pages, and a stream of items that
//! holds one page at a time.

use crate::error::Error;
use futures_core::Stream;
use std::collections::{BTreeSet, VecDeque};
use std::future::Future;

/// Pages of a token-paginated operation, fetched one at a time as the stream is polled. Each
/// request after the first is `request` again with the previous page's token. The stream ends
/// after a page with no (or an empty) token, and fails instead of looping if the server hands out
/// a token it already gave.
pub(crate) fn pages<R, P, SendPage, Fut, Next>(
    request: R,
    first_token: Option<String>,
    send: SendPage,
    next_token: Next,
) -> impl Stream<Item = Result<P, Error>> + Send + 'static
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
    futures_util::stream::unfold(
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
                Some(t) if !seen.insert(t.clone()) => State::Fail(Error::Pagination(format!(
                    "the server returned next_page_token `{t}` a second time; stopping instead of looping"
                ))),
                Some(t) => State::Next(Some(t)),
            };
            Some((Ok(page), (next, seen, request, send, next_token)))
        },
    )
}

/// The items of every page, in order; only the current page's items are held.
pub(crate) fn items<P, T, S, Items>(
    pages: S,
    items_of: Items,
) -> impl Stream<Item = Result<T, Error>> + Send + 'static
where
    S: Stream<Item = Result<P, Error>> + Send + 'static,
    P: Send + 'static,
    T: Send + 'static,
    Items: Fn(P) -> Vec<T> + Send + 'static,
{
    let pages = Box::pin(pages);
    futures_util::stream::unfold(
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
    )
}
