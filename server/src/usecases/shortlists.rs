//! Shortlists: offerings collected to compare, shared within an organisation.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use serde::Deserialize;

use super::check_version;
use crate::auth::Caller;
use crate::authz::{self, OrgAction, ShortlistAccess};
use crate::db::models::membership::{Membership, MembershipView};
use crate::db::models::offering::Offering;
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
fn within_limit(count: usize) -> DomainResult<()> {
    if count > MAX_ITEMS {
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
    within_limit(items.len())?;
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
    within_limit(items.len())?;
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
    within_limit(items.len())?;
    let list = authz::shortlist(conn, caller, id, OrgAction::Manage).await?;
    check_version(expected, list.version)?;
    let items = check_items(conn, caller, items).await?;
    write_items(conn, &list, &items, now).await
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

/// Where the caller may save offerings: the lists they may change, and the organisations they
/// may start a new list for (any of their own). The pages offer exactly these.
pub struct SaveTargets {
    pub lists: Vec<Shortlist>,
    pub organizations: Vec<MembershipView>,
}

pub async fn save_targets(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
) -> DomainResult<SaveTargets> {
    let organizations = Membership::of_user(conn, caller.id()).await?;
    let lists = Shortlist::visible_to(conn, caller.id())
        .await?
        .into_iter()
        .filter(|list| {
            let role = organizations
                .iter()
                .find(|m| m.organization_id == list.organization_id)
                .map(|m| m.role);
            ShortlistAccess::decide(role, list.owner_id == Some(caller.id()))
                == ShortlistAccess::Editable
        })
        .collect();
    Ok(SaveTargets {
        lists,
        organizations,
    })
}

/// A list as its reader sees it, with whether they may change it.
pub async fn open_shortlist(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ShortlistId,
) -> DomainResult<(ShortlistView, bool)> {
    let (list, access) = authz::shortlist_with_access(conn, caller, id, OrgAction::Read).await?;
    Ok((view(conn, list).await?, access == ShortlistAccess::Editable))
}

/// The offerings among `ids` the caller may see (to show what is about to be saved), in one
/// query.
pub async fn visible_offerings(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    ids: &[OfferingId],
) -> DomainResult<Vec<Offering>> {
    within_limit(ids.len())?;
    authz::offerings(conn, Some(caller), ids).await
}

/// The items of a list as they are, to be written back changed: offerings already on it stay
/// whatever their status now (an archived one is kept, marked, rather than blocking a change).
fn current_items(view: &ShortlistView) -> Vec<(OfferingId, Option<String>)> {
    view.items
        .iter()
        .map(|i| (i.offering_id, i.note.clone()))
        .collect()
}

/// Writes `items` if the list is still at the version read: the version filter makes the checks
/// made since reading it hold at the moment of writing too.
async fn write_items(
    conn: &mut AsyncPgConnection,
    list: &Shortlist,
    items: &[(OfferingId, Option<String>)],
    now: DateTime<Utc>,
) -> DomainResult<ShortlistView> {
    let updated = conn
        .transaction::<_, DomainError, _>(async |conn| {
            Shortlist::replace_items(conn, list.id, list.version, items, now)
                .await?
                .ok_or(DomainError::Stale)
        })
        .await?;
    view(conn, updated).await
}

/// Add offerings to the end of a list (the owner and the organisation's managers): each one the
/// caller can see, none twice in the request; one already on the list stays where it is.
pub async fn add_offerings(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ShortlistId,
    offering_ids: &[OfferingId],
    now: DateTime<Utc>,
) -> DomainResult<ShortlistView> {
    let inputs: Vec<ItemInput> = offering_ids
        .iter()
        .map(|&offering_id| ItemInput {
            offering_id,
            note: None,
        })
        .collect();
    within_limit(inputs.len())?;
    let list = authz::shortlist(conn, caller, id, OrgAction::Manage).await?;
    let checked = check_items(conn, caller, inputs).await?;
    let current = view(conn, list).await?;
    let mut items = current_items(&current);
    for (offering_id, note) in checked {
        if !items.iter().any(|(id, _)| *id == offering_id) {
            items.push((offering_id, note));
        }
    }
    within_limit(items.len())?;
    write_items(conn, &current.list, &items, now).await
}

/// Change, or with an empty text clear, the note of an offering on a list (the owner and the
/// organisation's managers), at the version the caller last read.
pub async fn set_note(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ShortlistId,
    expected: &IfMatch,
    offering_id: OfferingId,
    raw_note: &str,
    now: DateTime<Utc>,
) -> DomainResult<ShortlistView> {
    let list = authz::shortlist(conn, caller, id, OrgAction::Manage).await?;
    check_version(expected, list.version)?;
    let note = if raw_note.trim().is_empty() {
        None
    } else {
        let mut fields = Fields::new();
        let note = fields.text("note", raw_note, NOTE_MAX);
        Some(fields.finish_with(note)?)
    };
    let current = view(conn, list).await?;
    let mut items = current_items(&current);
    let item = items
        .iter_mut()
        .find(|(id, _)| *id == offering_id)
        .ok_or_else(not_on_list)?;
    item.1 = note;
    write_items(conn, &current.list, &items, now).await
}

/// Take an offering off a list (the owner and the organisation's managers), at the version the
/// caller last read.
pub async fn remove_offering(
    conn: &mut AsyncPgConnection,
    caller: &Caller,
    id: ShortlistId,
    expected: &IfMatch,
    offering_id: OfferingId,
    now: DateTime<Utc>,
) -> DomainResult<ShortlistView> {
    let list = authz::shortlist(conn, caller, id, OrgAction::Manage).await?;
    check_version(expected, list.version)?;
    let current = view(conn, list).await?;
    let mut items = current_items(&current);
    let before = items.len();
    items.retain(|(id, _)| *id != offering_id);
    if items.len() == before {
        return Err(not_on_list());
    }
    write_items(conn, &current.list, &items, now).await
}

fn not_on_list() -> DomainError {
    DomainError::invalid(
        "offering_id",
        "not_on_list",
        "this offering is not on the list",
    )
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
        let Err(DomainError::Invalid(errors)) = within_limit(items.len()) else {
            panic!("expected a field error")
        };
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code),
            ("items", "too_long")
        );
        assert!(within_limit(MAX_ITEMS).is_ok());
    }
}
