/**
 * Every `code` of a problem answer (RFC 9457) the API sends, in one union the web app switches
 * on. The server's error catalogs (`<module>.errors.ts`) are checked against it by the compiler
 * (`satisfies ProblemCatalog`), and a test checks that each code here is still sent by some catalog.
 */
export const PROBLEM_CODES = [
  // auth
  'email_taken',
  'password_too_common',
  'invalid_credentials',
  'too_many_attempts',
  'account_locked',
  'email_unverified',
  'invalid_mfa_token',
  'invalid_mfa_code',
  'invalid_refresh_token',
  'refresh_token_reused',
  'session_not_found',
  'invalid_token',
  'wrong_password',
  'two_factor_already_enabled',
  'two_factor_not_started',
  'two_factor_not_enabled',
  'csrf_token_invalid',
  'oauth_provider_unknown',
  'oauth_failed',
  // catalog
  'category_not_found',
  'parent_category_not_found',
  'category_slug_taken',
  'category_has_children',
  'category_cycle',
  'invalid_attribute_schema',
  'reorder_mismatch',
  // comments
  'listing_not_found',
  'listing_not_open',
  'comment_not_found',
  'parent_not_found',
  'parent_on_other_listing',
  'parent_deleted',
  'thread_too_deep',
  'empty_comment',
  // compare
  'listing_not_available',
  'compare_full',
  'compare_category_mismatch',
  'compare_too_few',
  'compare_busy',
  'share_not_found',
  'share_expired',
  // favorites
  'too_many_shares',
  // follows
  'cannot_follow_self',
  'member_not_found',
  'too_many_follows',
  // imports
  'import_not_found',
  'seller_not_found',
  'import_file_missing',
  'import_file_too_large',
  'import_running',
  // ledger
  'insufficient_funds',
  'hold_not_pending',
  'hold_not_found',
  'idempotency_conflict',
  'unbalanced_transfer',
  'currency_mismatch',
  'account_not_found',
  'invalid_amount',
  // listings
  'location_not_found',
  'invalid_attributes',
  'listing_incomplete',
  'invalid_transition',
  'invalid_price',
  // media
  'listing_not_editable',
  'image_not_found',
  'no_images',
  'too_many_images',
  'unsupported_image',
  'invalid_image',
  'image_too_large',
  // messaging
  'conversation_not_found',
  'messages_disabled',
  'cannot_message_self',
  'blocked',
  'you_blocked_user',
  'empty_message',
  'message_not_found',
  'quick_reply_not_found',
  'too_many_quick_replies',
  'already_reported',
  'user_not_found',
  'cannot_block_self',
  // notifications
  'notification_not_found',
  'invalid_preferences',
  'invalid_unsubscribe_token',
  'push_endpoint_not_allowed',
  'push_subscription_not_found',
  // payments
  'payment_not_found',
  'webhook_signature_invalid',
  'refund_exceeds_captured',
  'payment_not_refundable',
  'provider_unavailable',
  'provider_refused',
  'return_url_not_allowed',
  'top_up_too_large',
  // reviews
  'review_not_found',
  'listing_not_of_seller',
  'cannot_review_self',
  'no_conversation',
  'already_reviewed',
  'not_review_author',
  'edit_window_closed',
  'not_review_seller',
  'cannot_vote_own_review',
  // search
  'unknown_filter',
  'unknown_attribute',
  'invalid_filter',
  'invalid_range',
  'saved_search_not_found',
  'too_many_saved_searches',
  // showcase
  'not_a_showcase_post',
  'post_not_open',
  'cannot_upvote_own',
  'maker_not_found',
  // users
  'unknown_location',
  'avatar_missing',
  // wallets
  'payout_method_not_found',
  'payout_not_found',
  'payout_below_minimum',
  'payout_currency_not_supported',
  'idempotency_key_reused',
  'fee_rule_not_found',
  'fx_rate_not_found',
  'fx_import_failed',
  'payout_provider_failed',
  // platform
  'validation_failed',
  'invalid_json',
  'bad_request',
  'invalid_cursor',
  'unauthenticated',
  'forbidden',
  'route_not_found',
  'body_too_large',
  'unsupported_media_type',
  'rate_limited',
  'internal_error',
  'service_unavailable',
  // idempotency
  'idempotency_key_required',
  'idempotency_key_invalid',
  'idempotency_in_progress',
  // mail
  'mail_not_found',
  // raised outside a catalog: a 4xx from the framework, a bad access token
  'not_found',
  'invalid_access_token',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

export function isProblemCode(value: string): value is ProblemCode {
  return (PROBLEM_CODES as readonly string[]).includes(value);
}
