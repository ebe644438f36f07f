// The API phrases field errors to follow the field's name ("is one of the most common passwords")
// or as an instruction ("use at least 10 characters"); both read well once shaped for the page.
const FOLLOWS_NAME = /^(is|are|must|has|does|should|was|needs) /;

export function fieldMessage(label: string, message: string): string {
  const text = FOLLOWS_NAME.test(message) ? `${label} ${message}` : message;
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
