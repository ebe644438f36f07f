/**
 * Demo locations: Sri Lanka (province > district > city), Saudi Arabia (region > city), and the
 * United Arab Emirates (emirate > city). Coordinates are WGS 84 degrees, rounded to 4 decimals; for
 * countries and regions they are an approximate centre.
 */

export type DemoLocation = {
  slug: string;
  name: string;
  kind: 'country' | 'region' | 'city';
  latitude?: number;
  longitude?: number;
  children?: DemoLocation[];
};
export type DemoCountry = DemoLocation & { kind: 'country'; countryCode: string };

/** Kebab-case slug for a place name: `Dehiwala-Mount Lavinia` -> `dehiwala-mount-lavinia`. */
function toSlug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function city(name: string, latitude: number, longitude: number): DemoLocation {
  return { slug: toSlug(name), name, kind: 'city', latitude, longitude };
}

function region(name: string, latitude: number, longitude: number, children: DemoLocation[]): DemoLocation {
  return { slug: toSlug(name), name, kind: 'region', latitude, longitude, children };
}

function country(
  name: string,
  countryCode: string,
  latitude: number,
  longitude: number,
  children: DemoLocation[],
): DemoCountry {
  return { slug: toSlug(name), name, kind: 'country', countryCode, latitude, longitude, children };
}

const sriLanka = country('Sri Lanka', 'LK', 7.8731, 80.7718, [
  region('Western Province', 6.8376, 80.0983, [
    region('Colombo District', 6.87, 80.02, [
      city('Colombo', 6.9271, 79.8612),
      city('Dehiwala-Mount Lavinia', 6.845, 79.865),
      city('Moratuwa', 6.773, 79.8816),
      city('Sri Jayawardenepura Kotte', 6.8868, 79.9187),
      city('Maharagama', 6.848, 79.9265),
      city('Nugegoda', 6.8649, 79.8997),
      city('Homagama', 6.844, 80.0024),
    ]),
    region('Gampaha District', 7.07, 80.04, [
      city('Negombo', 7.2008, 79.8737),
      city('Gampaha', 7.0873, 79.999),
      city('Ja-Ela', 7.0744, 79.8919),
      city('Wattala', 6.9897, 79.892),
      city('Kadawatha', 7.001, 79.95),
    ]),
    region('Kalutara District', 6.6, 80.15, [
      city('Kalutara', 6.5854, 79.9607),
      city('Panadura', 6.7132, 79.9026),
      city('Horana', 6.7156, 80.0626),
      city('Beruwala', 6.4788, 79.9828),
      city('Matugama', 6.5222, 80.1144),
    ]),
  ]),
  region('Central Province', 7.2564, 80.7214, [
    region('Kandy District', 7.3, 80.7, [
      city('Kandy', 7.2906, 80.6337),
      city('Peradeniya', 7.2599, 80.5977),
      city('Katugastota', 7.3184, 80.6215),
      city('Gampola', 7.1643, 80.5696),
    ]),
    region('Matale District', 7.67, 80.7, [
      city('Matale', 7.4675, 80.6234),
      city('Dambulla', 7.8742, 80.6511),
      city('Sigiriya', 7.9497, 80.7514),
      city('Galewela', 7.7586, 80.5669),
    ]),
    region('Nuwara Eliya District', 7.0, 80.75, [
      city('Nuwara Eliya', 6.9497, 80.7891),
      city('Hatton', 6.8916, 80.5955),
      city('Talawakele', 6.9372, 80.658),
    ]),
  ]),
  region('Southern Province', 6.25, 80.75, [
    region('Galle District', 6.18, 80.25, [
      city('Galle', 6.0535, 80.221),
      city('Hikkaduwa', 6.1395, 80.1063),
      city('Ambalangoda', 6.2355, 80.0538),
      city('Unawatuna', 6.0174, 80.2489),
    ]),
    region('Matara District', 6.05, 80.53, [
      city('Matara', 5.9549, 80.555),
      city('Weligama', 5.9747, 80.4296),
      city('Akuressa', 6.0975, 80.474),
      city('Dikwella', 5.965, 80.687),
    ]),
    region('Hambantota District', 6.25, 81.1, [
      city('Hambantota', 6.1241, 81.1185),
      city('Tangalle', 6.0243, 80.7941),
      city('Tissamaharama', 6.2792, 81.2875),
      city('Ambalantota', 6.119, 81.025),
    ]),
  ]),
  region('Northern Province', 9.2, 80.4, [
    region('Jaffna District', 9.67, 80.05, [
      city('Jaffna', 9.6615, 80.0255),
      city('Chavakachcheri', 9.6583, 80.1617),
      city('Point Pedro', 9.8167, 80.2333),
    ]),
    region('Kilinochchi District', 9.38, 80.4, [
      city('Kilinochchi', 9.3803, 80.377),
      city('Paranthan', 9.435, 80.395),
    ]),
    region('Mannar District', 8.9, 80.05, [
      city('Mannar', 8.981, 79.9044),
      city('Talaimannar', 9.0886, 79.7282),
    ]),
    region('Vavuniya District', 8.85, 80.5, [city('Vavuniya', 8.7514, 80.4971)]),
    region('Mullaitivu District', 9.15, 80.65, [city('Mullaitivu', 9.2671, 80.8142)]),
  ]),
  region('Eastern Province', 7.8, 81.6, [
    region('Batticaloa District', 7.73, 81.6, [
      city('Batticaloa', 7.731, 81.6747),
      city('Kattankudy', 7.6833, 81.7333),
      city('Eravur', 7.77, 81.61),
      city('Valaichchenai', 7.9266, 81.5322),
    ]),
    region('Ampara District', 7.25, 81.65, [
      city('Ampara', 7.2917, 81.6724),
      city('Kalmunai', 7.4167, 81.8167),
      city('Akkaraipattu', 7.2167, 81.85),
      city('Pottuvil', 6.8756, 81.8317),
    ]),
    region('Trincomalee District', 8.58, 81.1, [
      city('Trincomalee', 8.5874, 81.2152),
      city('Kinniya', 8.4975, 81.1805),
      city('Kantale', 8.3667, 80.9833),
    ]),
  ]),
  region('North Western Province', 7.75, 80.0, [
    region('Kurunegala District', 7.57, 80.33, [
      city('Kurunegala', 7.4863, 80.3623),
      city('Kuliyapitiya', 7.4688, 80.0401),
      city('Pannala', 7.328, 80.0167),
      city('Nikaweratiya', 7.75, 80.1167),
    ]),
    region('Puttalam District', 7.85, 79.9, [
      city('Puttalam', 8.0362, 79.8283),
      city('Chilaw', 7.5758, 79.7953),
      city('Wennappuwa', 7.3495, 79.8386),
      city('Marawila', 7.4094, 79.8322),
    ]),
  ]),
  region('North Central Province', 8.2, 80.65, [
    region('Anuradhapura District', 8.33, 80.4, [
      city('Anuradhapura', 8.3114, 80.4037),
      city('Kekirawa', 8.0378, 80.598),
      city('Medawachchiya', 8.5386, 80.4939),
    ]),
    region('Polonnaruwa District', 7.94, 81.0, [
      city('Polonnaruwa', 7.9403, 81.0188),
      city('Hingurakgoda', 8.04, 80.95),
      city('Medirigiriya', 8.15, 80.9667),
    ]),
  ]),
  region('Uva Province', 6.85, 81.2, [
    region('Badulla District', 6.98, 81.06, [
      city('Badulla', 6.9934, 81.055),
      city('Bandarawela', 6.8259, 80.9982),
      city('Haputale', 6.7656, 80.9582),
      city('Ella', 6.8667, 81.0466),
      city('Mahiyanganaya', 7.319, 81.0),
    ]),
    region('Monaragala District', 6.87, 81.35, [
      city('Monaragala', 6.8728, 81.3507),
      city('Wellawaya', 6.7367, 81.1025),
      city('Bibile', 7.16, 81.22),
      city('Buttala', 6.7547, 81.2431),
    ]),
  ]),
  region('Sabaragamuwa Province', 6.75, 80.5, [
    region('Ratnapura District', 6.6, 80.55, [
      city('Ratnapura', 6.6828, 80.3992),
      city('Balangoda', 6.6469, 80.7045),
      city('Embilipitiya', 6.3431, 80.8496),
      city('Pelmadulla', 6.62, 80.542),
    ]),
    region('Kegalle District', 7.25, 80.35, [
      city('Kegalle', 7.2513, 80.3464),
      city('Mawanella', 7.25, 80.45),
      city('Warakapola', 7.2258, 80.1969),
      city('Rambukkana', 7.324, 80.39),
    ]),
  ]),
]);

const saudiArabia = country('Saudi Arabia', 'SA', 23.8859, 45.0792, [
  region('Riyadh Region', 24.0, 45.5, [
    city('Riyadh', 24.7136, 46.6753),
    city('Al Kharj', 24.1556, 47.312),
    city('Diriyah', 24.7347, 46.575),
    city('Al Majmaah', 25.9039, 45.3456),
    city('Ad Dawadimi', 24.5077, 44.3924),
  ]),
  region('Makkah Region', 21.5, 40.5, [
    city('Mecca', 21.3891, 39.8579),
    city('Jeddah', 21.4858, 39.1925),
    city('Taif', 21.2703, 40.4158),
    city('Rabigh', 22.7986, 39.0349),
    city('Al Qunfudhah', 19.1264, 41.0789),
  ]),
  region('Madinah Region', 24.8, 39.5, [
    city('Medina', 24.5247, 39.5692),
    city('Yanbu', 24.0895, 38.0618),
    city('AlUla', 26.6085, 37.9232),
    city('Badr', 23.78, 38.7906),
  ]),
  region('Eastern Province', 23.5, 50.0, [
    city('Dammam', 26.4207, 50.0888),
    city('Khobar', 26.2172, 50.1971),
    city('Dhahran', 26.2361, 50.0393),
    city('Jubail', 27.0046, 49.646),
    city('Al Ahsa', 25.38, 49.5883),
    city('Qatif', 26.5196, 50.0115),
    city('Hafar Al-Batin', 28.4328, 45.9708),
  ]),
  region('Qassim Region', 26.2, 43.5, [
    city('Buraidah', 26.326, 43.975),
    city('Unaizah', 26.0843, 43.9935),
    city('Ar Rass', 25.8694, 43.4973),
  ]),
  region('Asir Region', 19.1, 42.9, [
    city('Abha', 18.2164, 42.5053),
    city('Khamis Mushait', 18.3061, 42.729),
    city('Bisha', 19.99, 42.6),
  ]),
  region('Tabuk Region', 28.0, 37.0, [
    city('Tabuk', 28.3835, 36.5662),
    city('Duba', 27.3516, 35.6901),
    city('Al Wajh', 26.2456, 36.4525),
  ]),
  region('Hail Region', 27.5, 42.0, [city('Hail', 27.5114, 41.7208)]),
  region('Northern Borders Region', 30.5, 41.5, [
    city('Arar', 30.9753, 41.0381),
    city('Rafha', 29.6386, 43.5014),
    city('Turaif', 31.6725, 38.6637),
  ]),
  region('Jazan Region', 17.2, 42.7, [
    city('Jazan', 16.8892, 42.5511),
    city('Sabya', 17.1495, 42.6254),
    city('Abu Arish', 16.9689, 42.8322),
  ]),
  region('Najran Region', 18.5, 46.0, [city('Najran', 17.5656, 44.2289), city('Sharurah', 17.4926, 47.1156)]),
  region('Al Bahah Region', 20.1, 41.4, [
    city('Al Bahah', 20.0129, 41.4677),
    city('Baljurashi', 19.859, 41.5589),
  ]),
  region('Al Jawf Region', 29.8, 39.5, [
    city('Sakaka', 29.9697, 40.2064),
    city('Dumat al-Jandal', 29.8114, 39.8681),
    city('Qurayyat', 31.3317, 37.3428),
  ]),
]);

const unitedArabEmirates = country('United Arab Emirates', 'AE', 23.4241, 53.8478, [
  region('Abu Dhabi', 23.5, 54.0, [
    city('Abu Dhabi', 24.4539, 54.3773),
    city('Al Ain', 24.2075, 55.7447),
    city('Ruwais', 24.1096, 52.7307),
    city('Madinat Zayed', 23.683, 53.706),
  ]),
  region('Dubai', 25.07, 55.3, [
    city('Dubai', 25.2048, 55.2708),
    city('Jebel Ali', 25.0029, 55.0844),
    city('Hatta', 24.7969, 56.1167),
  ]),
  region('Sharjah', 25.3, 55.6, [
    city('Sharjah', 25.3463, 55.4209),
    city('Khor Fakkan', 25.339, 56.356),
    city('Kalba', 25.0513, 56.3552),
    city('Dibba Al-Hisn', 25.6196, 56.2729),
    city('Al Dhaid', 25.2882, 55.881),
  ]),
  region('Ajman', 25.4, 55.48, [city('Ajman', 25.4052, 55.5136), city('Masfout', 24.8253, 56.097)]),
  region('Umm Al Quwain', 25.52, 55.7, [city('Umm Al Quwain', 25.5647, 55.5552)]),
  region('Ras Al Khaimah', 25.7, 56.0, [
    city('Ras Al Khaimah', 25.8007, 55.9762),
    city('Al Jazirah Al Hamra', 25.709, 55.79),
  ]),
  region('Fujairah', 25.3, 56.25, [
    city('Fujairah', 25.1288, 56.3265),
    city('Dibba Al-Fujairah', 25.588, 56.262),
    city('Masafi', 25.316, 56.167),
  ]),
]);

export const demoLocations: DemoCountry[] = [sriLanka, saudiArabia, unitedArabEmirates];
