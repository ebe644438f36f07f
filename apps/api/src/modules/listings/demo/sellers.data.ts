/**
 * The demo sellers: deterministic accounts `seller01@demo.souk.test` … with one password, each
 * with a country (which its listings are in) and a display name that fits it.
 */

export type DemoCountry = 'LK' | 'SA' | 'AE';

/** The demo sellers' password (documented in README.md as demo credentials; not a secret). */
export const DEMO_SELLER_PASSWORD = 'souk-demo-seller-2025';

export const demoSellerEmail = (n: number) => `seller${String(n).padStart(2, '0')}@demo.souk.test`;

/** Three sellers in five are in Sri Lanka, one in Saudi Arabia, one in the UAE. */
export function demoSellerCountry(n: number): DemoCountry {
  const slot = (n - 1) % 5;
  return slot < 3 ? 'LK' : slot === 3 ? 'SA' : 'AE';
}

const names: Record<DemoCountry, readonly string[]> = {
  LK: [
    'Nimal Perera',
    'Kasun Fernando',
    'Dilini Jayasinghe',
    'Colombo Auto Traders',
    'Chamari Wickramasinghe',
    'Ruwan Silva',
    'Tharindu Bandara',
    'Kandy Home Centre',
    'Ishara Gunawardena',
    'Sanjeewa Rajapaksha',
    'Malsha Herath',
    'Galle Road Mobiles',
    'Pradeep Kumara',
    'Nadeesha Senanayake',
    'Lakmal Dissanayake',
    'Hill Country Properties',
    'Shehan de Silva',
    'Anjali Ratnayake',
    'Fathima Rizvi',
    'Suresh Navaratnam',
    'Harsha Weerasinghe',
    'Island Gadgets',
    'Chathura Abeysekara',
    'Madhavi Karunaratne',
    'Ravi Shanmugam',
    'Lanka Motors Negombo',
    'Dinusha Ekanayake',
    'Asanka Jayawardena',
    'Yasodha Premadasa',
    'Southern Realty Matara',
  ],
  SA: [
    'Abdullah Al-Qahtani',
    'Faisal Motors Riyadh',
    'Noura Al-Harbi',
    'Khalid Al-Otaibi',
    'Jeddah Electronics Hub',
    'Sara Al-Zahrani',
    'Mohammed Al-Ghamdi',
    'Eastern Homes Khobar',
    'Reem Al-Shehri',
    'Yousef Al-Dosari',
  ],
  AE: [
    'Ahmed Al Mansoori',
    'Marina Homes Real Estate',
    'Fatima Al Hammadi',
    'Rashid Al Nuaimi',
    'Deira Gadget Store',
    'Priya Menon',
    'Omar Haddad',
    'Sharjah Auto Point',
    'Layla Al Hashimi',
    'James Whitfield',
  ],
};

export function demoSellerName(n: number): string {
  const country = demoSellerCountry(n);
  const list = names[country];
  // The n-th seller of its country, counting from 0.
  const ordinal = Math.floor((n - 1) / 5) * (country === 'LK' ? 3 : 1) + (country === 'LK' ? (n - 1) % 5 : 0);
  return list[ordinal % list.length] as string;
}

/** Where most sellers live: these cities get five times the weight of the others. */
export const majorCities: ReadonlySet<string> = new Set([
  'Colombo',
  'Dehiwala-Mount Lavinia',
  'Nugegoda',
  'Maharagama',
  'Kandy',
  'Galle',
  'Negombo',
  'Gampaha',
  'Kurunegala',
  'Jaffna',
  'Riyadh',
  'Jeddah',
  'Dammam',
  'Khobar',
  'Mecca',
  'Medina',
  'Dubai',
  'Abu Dhabi',
  'Sharjah',
  'Ajman',
  'Al Ain',
]);

export const countryNames: Record<DemoCountry, string> = {
  LK: 'Sri Lanka',
  SA: 'Saudi Arabia',
  AE: 'the UAE',
};
