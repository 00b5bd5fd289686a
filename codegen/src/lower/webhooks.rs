//! OpenAPI 3.1 `webhooks`: one event (and its body's type) per entry.

use super::*;

impl<'a> Lowerer<'a> {
    /// Each webhook's request body becomes a type named after the event
    /// (`account.created` → `AccountCreatedEvent`), and the event a variant of `Event`.
    pub(super) fn lower_webhooks(
        &mut self,
        webhooks: &crate::load::Webhooks,
    ) -> Result<Vec<Webhook>, Error> {
        let mut variants = Scope::with_reserved(["Unknown", "UrlValidation"]);
        let mut events = Vec::new();
        for (event, item) in webhooks {
            let pointer = pointer_push("/webhooks", event);
            let ReferenceOr::Item(item) = item else {
                self.unsupported(
                    &pointer,
                    None,
                    "a $ref'd webhook is not supported; the event is kept untyped".into(),
                )?;
                continue;
            };
            let Some((method, op)) = item.iter().next() else {
                continue;
            };
            let op_pointer = pointer_push(&pointer, method);
            let body = match &op.request_body {
                Some(b) => {
                    Some(self.resolve_request_body(b, &pointer_push(&op_pointer, "requestBody"))?)
                }
                None => None,
            };
            let mut ty = None;
            if let Some((media, m)) = body.and_then(|b| json_media(&b.content)) {
                if let Some(schema) = &m.schema {
                    let ctx = Ctx {
                        candidate: format!("{} event", naming::type_name(event, "webhook")),
                        qualifier: None,
                        pointer: pointer_push(
                            &pointer_push(
                                &pointer_push(&pointer_push(&op_pointer, "requestBody"), "content"),
                                media,
                            ),
                            "schema",
                        ),
                    };
                    let lowered = self.schema_ty(schema, &ctx)?;
                    let lowered = self.named_if_complex(lowered, &ctx, None);
                    let docs = format!("The body of the `{event}` event ([`webhooks::Event`](crate::webhooks::Event)).");
                    self.fill_docs(&lowered, Some(&docs));
                    ty = Some(lowered);
                }
            }
            events.push(Webhook {
                event: event.clone(),
                variant: variants.claim(&naming::variant_name(event)),
                ty,
                docs: body
                    .and_then(|b| b.description.as_deref())
                    .or(op.summary.as_deref())
                    .map(docs::to_rustdoc),
            });
        }
        Ok(events)
    }
}
