/** Events the payments module publishes, in the transaction that books what they say. */
export type PaymentsEvents = {
  /** A payment was captured and its amount booked to the member's available balance. */
  'payments.captured': {
    paymentId: string;
    memberId: string;
    purpose: string;
    amount: number;
    currency: string;
    provider: string;
    providerPaymentId: string;
    /** The ledger transfer that booked it. */
    transferId: string;
  };
  /** A payment ended without money moving (declined, failed 3-D Secure or capture, canceled). */
  'payments.failed': {
    paymentId: string;
    memberId: string;
    purpose: string;
    status: 'failed' | 'canceled';
    failureCode: string | null;
  };
};
