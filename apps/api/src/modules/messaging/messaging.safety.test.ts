import { describe, expect, it } from 'vitest';
import { detectSafetyWarning } from './messaging.safety.js';

describe('the safety detector', () => {
  it.each([
    'Call me on 077 123 4567',
    'my number is 0771234567 call after 6',
    'WhatsApp +94 77 123 4567 for more photos',
    'ring me: (077) 123-4567',
    '+44 7700 900123',
    'zero seven seven one two three four five six seven',
    'email me at kasun.perera@gmail.com',
    'kasun (at) gmail (dot) com',
    'write to kasun at gmail dot com',
    'message me on wa.me/94771234567',
    'find me on t.me/kasun_cars',
    'whatsapp me please, faster there',
  ])('flags contact details: %s', (text) => {
    expect(detectSafetyWarning(text)).toBe('contact_details');
  });

  it.each([
    'Pay the deposit to paypal.me/kasunp and I will ship',
    'send it through PayPal friends and family to avoid fees',
    'paypal . me / kasun',
    'I can only accept Western Union',
    'send via MoneyGram to my cousin',
    'use revolut, it is instant',
    'https://wise.com/pay/me/kasunp',
    'please transfer the money via Wise',
    'pay to my BTC wallet bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
    'USDT (TRC20): TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE',
    'ETH 0x742d35Cc6634C0532925a3b844Bc454e4438f44e',
    'my bitcoin address is 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
    'also phone 0771234567 but pay via paypal.me/x',
  ])('flags payment links: %s', (text) => {
    expect(detectSafetyWarning(text)).toBe('payment_link');
  });

  it.each([
    'Is it still available?',
    'Would you take Rs. 7,500,000 for it?',
    'My budget is LKR 12500000',
    'Rs 125000000 is my final offer',
    'It has done 145000 km, serviced every 5000 km',
    'Mileage 123456789 km? That cannot be right',
    'Registered 2018, owned 2018-2023, one owner',
    'Can I see it on 12.05.2024 at 10:30?',
    'Chassis NZE141-1234567, engine 1NZ',
    'Is the price negotiable? I can pay cash on pickup',
    'Can I pay with PayPal on the platform?',
    'That is a wise choice, the hybrid is better',
    'I will be there at 5, see you at the gate',
    'Meet at the Colombo 07 post office?',
    'ordered 3 x 250 ml bottles, 2 x 500 ml',
    '',
  ])('lets ordinary messages pass: %s', (text) => {
    expect(detectSafetyWarning(text)).toBeNull();
  });
});
