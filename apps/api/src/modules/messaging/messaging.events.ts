/** Published in the transaction of the write, so an event exists if and only if it committed. */
export type MessagingEvents = {
  'messaging.message_sent': {
    messageId: string;
    conversationId: string;
    listingId: string;
    senderId: string;
    recipientId: string;
    /** The start of the text (at most 140 characters), or "Photo" for a photo alone. */
    preview: string;
  };
};
