// The diesel view of `migrations/`. Kept by hand beside the migrations; the end-to-end tests
// run every query against the migrated schema, so a mismatch fails there.

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Nullable<Text>,
        display_name -> Text,
        password_hash -> Nullable<Text>,
        email_verified_at -> Nullable<Timestamptz>,
        is_moderator -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        deleted_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
        revoked_reason -> Nullable<Text>,
        browser_token_hash -> Nullable<Bytea>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Bytea,
        session_id -> Uuid,
        issued_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    email_tokens (token_hash) {
        token_hash -> Bytea,
        user_id -> Uuid,
        purpose -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    organizations (id) {
        id -> Uuid,
        kind -> Text,
        name -> Text,
        kvk_number -> Nullable<Text>,
        provider_kind -> Nullable<Text>,
        brin -> Nullable<Text>,
        board_number -> Nullable<Text>,
        board_id -> Nullable<Uuid>,
        sectors -> Array<Text>,
        province -> Nullable<Text>,
        website -> Nullable<Text>,
        description -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
        regions -> Array<Text>,
        contact_email -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        denomination -> Nullable<Text>,
        city -> Nullable<Text>,
    }
}

diesel::table! {
    school_locations (id) {
        id -> Uuid,
        school_id -> Uuid,
        location_code -> Text,
        name -> Text,
        street -> Nullable<Text>,
        house_number -> Nullable<Text>,
        postcode -> Nullable<Text>,
        city -> Nullable<Text>,
        municipality -> Nullable<Text>,
        province -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    offerings (id) {
        id -> Uuid,
        provider_id -> Uuid,
        status -> Text,
        title -> Text,
        summary -> Text,
        description -> Text,
        domain -> Text,
        service_type -> Text,
        sectors -> Array<Text>,
        regions -> Array<Text>,
        formats -> Array<Text>,
        delivery -> Array<Text>,
        duration -> Text,
        price_model -> Text,
        price_min_cents -> Nullable<Int8>,
        price_max_cents -> Nullable<Int8>,
        evidence_level -> Text,
        evidence_sources -> Array<Text>,
        co_creation_phases -> Array<Text>,
        themes -> Array<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        published_at -> Nullable<Timestamptz>,
        archived_at -> Nullable<Timestamptz>,
        version -> Int4,
    }
}

diesel::table! {
    offering_revisions (offering_id, version) {
        offering_id -> Uuid,
        version -> Int4,
        changed_by -> Nullable<Uuid>,
        changed_at -> Timestamptz,
        action -> Text,
        changes -> Jsonb,
    }
}

diesel::table! {
    shortlists (id) {
        id -> Uuid,
        owner_id -> Nullable<Uuid>,
        organization_id -> Uuid,
        name -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> Int4,
    }
}

diesel::table! {
    shortlist_items (shortlist_id, offering_id) {
        shortlist_id -> Uuid,
        offering_id -> Uuid,
        position -> Int4,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    memberships (organization_id, user_id) {
        organization_id -> Uuid,
        user_id -> Uuid,
        role -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    invitations (id) {
        id -> Uuid,
        organization_id -> Uuid,
        email -> Text,
        role -> Text,
        token_hash -> Bytea,
        invited_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        accepted_at -> Nullable<Timestamptz>,
        accepted_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    network_members (network_id, member_id) {
        network_id -> Uuid,
        member_id -> Uuid,
        added_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    jobs (id) {
        id -> Uuid,
        kind -> Text,
        payload -> Jsonb,
        run_at -> Timestamptz,
        attempts -> Int4,
        last_error -> Nullable<Text>,
        locked_at -> Nullable<Timestamptz>,
        locked_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    reviews (id) {
        id -> Uuid,
        offering_id -> Uuid,
        author_id -> Nullable<Uuid>,
        organization_id -> Uuid,
        rating_overall -> Int2,
        rating_fit_with_practice -> Nullable<Int2>,
        rating_expertise -> Nullable<Int2>,
        rating_lasting_effect -> Nullable<Int2>,
        rating_value_for_money -> Nullable<Int2>,
        rating_teacher_involvement -> Nullable<Int2>,
        sector -> Text,
        role -> Text,
        school_size -> Nullable<Text>,
        period_start -> Nullable<Date>,
        period_end -> Nullable<Date>,
        scale -> Nullable<Text>,
        phase -> Nullable<Text>,
        still_in_use -> Nullable<Bool>,
        pros -> Nullable<Text>,
        pitfalls -> Nullable<Text>,
        advice -> Nullable<Text>,
        provider_tie -> Nullable<Text>,
        reward -> Nullable<Text>,
        show_name -> Bool,
        verified_at -> Nullable<Timestamptz>,
        verified_by -> Nullable<Uuid>,
        helpful_count -> Int4,
        hidden_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        edited_at -> Nullable<Timestamptz>,
        version -> Int4,
        hidden_reason -> Nullable<Text>,
    }
}

diesel::table! {
    review_reports (id) {
        id -> Uuid,
        review_id -> Uuid,
        reporter_id -> Nullable<Uuid>,
        reason -> Text,
        created_at -> Timestamptz,
        resolved_at -> Nullable<Timestamptz>,
        signal -> Nullable<Text>,
    }
}

diesel::table! {
    review_origins (review_id) {
        review_id -> Uuid,
        client_hash -> Text,
    }
}

diesel::table! {
    review_follow_ups (id) {
        id -> Uuid,
        review_id -> Uuid,
        answered_at -> Timestamptz,
        still_in_use -> Bool,
        lasting_effect -> Nullable<Int2>,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    review_decisions (id) {
        id -> Uuid,
        review_id -> Uuid,
        moderator_id -> Nullable<Uuid>,
        action -> Text,
        reason -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    review_helpful_votes (review_id, user_id) {
        review_id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    review_responses (review_id) {
        review_id -> Uuid,
        provider_id -> Uuid,
        author_id -> Nullable<Uuid>,
        body -> Text,
        created_at -> Timestamptz,
        edited_at -> Nullable<Timestamptz>,
        version -> Int4,
    }
}

diesel::table! {
    review_aggregates (offering_id) {
        offering_id -> Uuid,
        review_count -> Int8,
        verified_review_count -> Int8,
        rating_avg -> Nullable<Float8>,
        rating_fit_with_practice -> Nullable<Float8>,
        rating_expertise -> Nullable<Float8>,
        rating_lasting_effect -> Nullable<Float8>,
        rating_value_for_money -> Nullable<Float8>,
        rating_teacher_involvement -> Nullable<Float8>,
        rating_score -> Nullable<Float8>,
        dimensions -> Jsonb,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::table! {
    bundles (id) {
        id -> Uuid,
        owner_organization_id -> Uuid,
        created_by -> Nullable<Uuid>,
        title -> Text,
        need_problem -> Text,
        need_goals -> Text,
        need_intended_result -> Text,
        need_success_measure -> Text,
        domain -> Text,
        service_type -> Text,
        sectors -> Array<Text>,
        regions -> Array<Text>,
        unit -> Text,
        criteria -> Jsonb,
        price_method -> Text,
        join_deadline -> Timestamptz,
        offer_deadline -> Timestamptz,
        visibility -> Text,
        status -> Text,
        total_quantity -> Int8,
        total_organizations -> Int4,
        total_budget_cents -> Int8,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        awarded_offer_id -> Nullable<Uuid>,
        award_motivation -> Nullable<Text>,
        awarded_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    bundle_offers (id) {
        id -> Uuid,
        bundle_id -> Uuid,
        provider_id -> Uuid,
        offering_id -> Nullable<Uuid>,
        price_cents -> Int8,
        proposal -> Text,
        criteria_answers -> Jsonb,
        submitted_by -> Nullable<Uuid>,
        idempotency_key -> Nullable<Text>,
        request_hash -> Nullable<Text>,
        needs_confirmation -> Bool,
        withdrawn_at -> Nullable<Timestamptz>,
        scores -> Jsonb,
        scored_at -> Nullable<Timestamptz>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    bundle_participants (bundle_id, organization_id) {
        bundle_id -> Uuid,
        organization_id -> Uuid,
        quantity -> Int8,
        budget_cents -> Int8,
        wishes -> Nullable<Text>,
        joined_by -> Nullable<Uuid>,
        joined_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    bundle_events (id) {
        id -> Int8,
        bundle_id -> Uuid,
        actor_id -> Nullable<Uuid>,
        action -> Text,
        from_status -> Text,
        to_status -> Text,
        at -> Timestamptz,
    }
}

diesel::table! {
    interest_profiles (id) {
        id -> Uuid,
        provider_id -> Uuid,
        user_id -> Uuid,
        name -> Text,
        domain -> Nullable<Text>,
        service_types -> Array<Text>,
        sectors -> Array<Text>,
        regions -> Array<Text>,
        keywords -> Array<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    bundle_reminders (bundle_id, deadline, due_at, email) {
        bundle_id -> Uuid,
        deadline -> Text,
        due_at -> Timestamptz,
        email -> Text,
        sent_at -> Timestamptz,
    }
}

diesel::table! {
    bundle_interest_mails (bundle_id, user_id) {
        bundle_id -> Uuid,
        user_id -> Uuid,
        sent_at -> Timestamptz,
    }
}

diesel::table! {
    bundle_questions (id) {
        id -> Uuid,
        bundle_id -> Uuid,
        provider_id -> Uuid,
        asked_by -> Nullable<Uuid>,
        question -> Text,
        asked_at -> Timestamptz,
        answer -> Nullable<Text>,
        answered_by -> Nullable<Uuid>,
        answered_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(bundles -> organizations (owner_organization_id));
diesel::joinable!(bundle_questions -> bundles (bundle_id));
diesel::joinable!(bundle_participants -> bundles (bundle_id));
diesel::joinable!(bundle_participants -> organizations (organization_id));
diesel::joinable!(bundle_events -> bundles (bundle_id));
diesel::joinable!(interest_profiles -> organizations (provider_id));
diesel::joinable!(interest_profiles -> users (user_id));
diesel::joinable!(bundle_interest_mails -> bundles (bundle_id));
diesel::joinable!(bundle_offers -> bundles (bundle_id));
diesel::joinable!(email_tokens -> users (user_id));
diesel::joinable!(memberships -> organizations (organization_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(invitations -> organizations (organization_id));
diesel::joinable!(school_locations -> organizations (school_id));
diesel::joinable!(offerings -> organizations (provider_id));
diesel::joinable!(offering_revisions -> offerings (offering_id));
diesel::joinable!(shortlist_items -> shortlists (shortlist_id));
diesel::joinable!(shortlist_items -> offerings (offering_id));
diesel::joinable!(reviews -> offerings (offering_id));
diesel::joinable!(reviews -> organizations (organization_id));
diesel::joinable!(reviews -> users (author_id));
diesel::joinable!(review_helpful_votes -> reviews (review_id));
diesel::joinable!(review_responses -> reviews (review_id));
diesel::joinable!(review_reports -> reviews (review_id));
diesel::joinable!(review_decisions -> reviews (review_id));
diesel::joinable!(review_follow_ups -> reviews (review_id));
diesel::joinable!(review_origins -> reviews (review_id));
diesel::joinable!(review_aggregates -> offerings (offering_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    refresh_tokens,
    email_tokens,
    organizations,
    memberships,
    invitations,
    network_members,
    jobs,
    school_locations,
    offerings,
    offering_revisions,
    shortlists,
    shortlist_items,
    reviews,
    review_helpful_votes,
    review_responses,
    review_aggregates,
    review_reports,
    review_decisions,
    bundles,
    bundle_participants,
    bundle_events,
    bundle_offers,
    review_follow_ups,
    review_origins,
    interest_profiles,
    bundle_interest_mails,
    bundle_reminders,
    bundle_questions,
);
