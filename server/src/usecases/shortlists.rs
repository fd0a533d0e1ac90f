//! Shortlists: offerings collected to compare, shared within an organisation.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;

use super::check_version;
use crate::auth::Caller;
use crate::authz::{self, OrgAction};
use crate::db::models::shortlist::{ItemView, Shortlist};
use crate::domain::{DomainError, DomainResult, Fields};
use crate::domain::{OfferingId, OrganizationId, ShortlistId};
use crate::http::IfMatch;

pub const MAX_ITEMS: usize = 50;
/// The longest name a list may have.
const NAME_MAX: usize = 200;
const NOTE_MAX: usize = 1000;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    pub offering_id: OfferingId,
    pub note: Option<String>,
}

/// A list with its items, in order.
pub struct ShortlistView {
    pub list: Shortlist,
    pub items: Vec<ItemView>,
}

/// The lists with their items: two queries, whatever the number of lists.
async fn views(
    conn: &mut AsyncPgConnection,
    lists: Vec<Shortlist>,
) -> DomainResult<Vec<ShortlistView>> {
    let ids: Vec<ShortlistId> = lists.iter().map(|l| l.id).collect();
    let mut items = Shortlist::items_of(conn, &ids).await?;
    Ok(lists
        .into_iter()
        .map(|list| {
            // Items come grouped by list; take this list's group out.
            let (mine, rest) = items.drain(..).partition(|i| i.shortlist_id == list.id);
            items = rest;
            ShortlistView { list, items: mine }
        })
        .collect())
}

async fn view(conn: &mut AsyncPgConnection, list: Shortlist) -> DomainResult<ShortlistView> {
    let mut views = views(conn, vec![list]).await?;
    views
        .pop()
        .ok_or_else(|| DomainError::Internal(anyhow::anyhow!("a list's view went missing")))
}

fn name(raw: &str) -> DomainResult<String> {
    let mut fields = Fields::new();
    let name = fields.text("name", raw, NAME_MAX);
    fields.finish_with(name)
}

/// Refuses a list over the limit before anything is looked up, so the work stays bounded
/// whatever the body holds.
fn within_limit(items: &[ItemInput]) -> DomainResult<()> {
    if items.len() > MAX_ITEMS {
        return Err(DomainError::invalid(
            "items",
            "too_long",
            format!("a list holds at most {MAX_ITEMS} offerings"),
        ));
    }
    Ok(())
}

/// Checks items: each an offering the caller can see, none twice, notes short. The
/// offerings are read in one go.
async fn check_items(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    items: Vec<ItemInput>,
) -> DomainResult<Vec<(OfferingId, Option<String>)>> {
    within_limit(&items)?;
    let ids: Vec<OfferingId> = items.iter().map(|i| i.offering_id).collect();
    let visible: HashSet<OfferingId> = authz::offerings(conn, Some(caller), &ids)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    let mut fields = Fields::new();
    let mut checked: Vec<(OfferingId, Option<String>)> = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let field = format!("items[{i}].offering_id");
        if checked.iter().any(|(id, _)| *id == item.offering_id) {
            fields.push(field, "duplicate", "is on the list twice");
            continue;
        }
        if !visible.contains(&item.offering_id) {
            fields.push(field, "not_found", "no such published offering");
            continue;
        }
        let note = item
            .note
            .as_deref()
            .and_then(|n| fields.text(&format!("items[{i}].note"), n, NOTE_MAX));
        checked.push((item.offering_id, note));
    }
    fields.finish_with(Some(checked))
}

/// A new list, shared with one of the caller's organisations.
pub async fn create_shortlist(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    organization_id: OrganizationId,
    raw_name: &str,
    items: Vec<ItemInput>,
    now: DateTime<Utc>,
) -> DomainResult<ShortlistView> {
    within_limit(&items)?;
    let (organization, role) =
        authz::organization(conn, caller, organization_id, OrgAction::Read).await?;
    if role.is_none() {
        return Err(DomainError::invalid(
            "organization_id",
            "not_member",
            "you can only share lists with your own organisations",
        ));
    }
    let name = name(raw_name)?;
    let items = check_items(conn, caller, items).await?;
    let list = conn
        .transaction::<_, DomainError, _>(async |conn| {
            let list = Shortlist::insert(conn, caller.id(), organization.id, &name, now).await?;
            Ok(
                Shortlist::replace_items(conn, list.id, list.version, &items, now)
                    .await?
                    .unwrap_or(list),
            )
        })
        .await?;
    view(conn, list).await
}

/// The lists of the caller's organisations, newest first.
pub async fn list_shortlists(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
) -> DomainResult<Vec<ShortlistView>> {
    let lists = Shortlist::visible_to(conn, caller.id()).await?;
    views(conn, lists).await
}

pub async fn get_shortlist(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ShortlistId,
) -> DomainResult<ShortlistView> {
    let list = authz::shortlist(conn, caller, id, OrgAction::Read).await?;
    view(conn, list).await
}

/// Replace the items, in order (the owner and the organisation's managers).
pub async fn replace_items(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ShortlistId,
    expected: &IfMatch,
    items: Vec<ItemInput>,
    now: DateTime<Utc>,
) -> DomainResult<ShortlistView> {
    within_limit(&items)?;
    let list = authz::shortlist(conn, caller, id, OrgAction::Manage).await?;
    check_version(expected, list.version)?;
    let items = check_items(conn, caller, items).await?;
    // The version filter makes the check above hold at the moment of writing too.
    let updated = conn
        .transaction::<_, DomainError, _>(async |conn| {
            Shortlist::replace_items(conn, list.id, list.version, &items, now)
                .await?
                .ok_or(DomainError::Stale)
        })
        .await?;
    view(conn, updated).await
}

/// Rename a list (the owner and the organisation's managers).
pub async fn rename_shortlist(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ShortlistId,
    expected: &IfMatch,
    raw_name: &str,
    now: DateTime<Utc>,
) -> DomainResult<ShortlistView> {
    let list = authz::shortlist(conn, caller, id, OrgAction::Manage).await?;
    check_version(expected, list.version)?;
    let name = name(raw_name)?;
    let renamed = Shortlist::rename_if_version(conn, list.id, list.version, &name, now)
        .await?
        .ok_or(DomainError::Stale)?;
    view(conn, renamed).await
}

/// Delete a list (the owner and the organisation's managers), only at `expected` when given.
pub async fn delete_shortlist(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ShortlistId,
    expected: Option<&IfMatch>,
) -> DomainResult<()> {
    let list = authz::shortlist(conn, caller, id, OrgAction::Manage).await?;
    // The version checked is the one the delete is conditional on, so a change in between is
    // caught too.
    let version = match expected {
        Some(expected) => {
            check_version(expected, list.version)?;
            Some(list.version)
        }
        None => None,
    };
    if !Shortlist::delete(conn, list.id, version).await? {
        // Changed or deleted by someone else since it was read above.
        return Err(match expected {
            Some(_) => DomainError::Stale,
            None => DomainError::NotFound,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_over_the_limit_is_refused_with_one_error() {
        let items = vec![
            ItemInput {
                offering_id: OfferingId::generate(),
                note: None,
            };
            MAX_ITEMS + 1
        ];
        let Err(DomainError::Invalid(errors)) = within_limit(&items) else {
            panic!("expected a field error")
        };
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code),
            ("items", "too_long")
        );
        assert!(within_limit(&items[..MAX_ITEMS]).is_ok());
    }
}
