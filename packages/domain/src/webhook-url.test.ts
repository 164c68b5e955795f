import { describe, expect, it } from 'vitest';
import { webhookAddressRefusal, webhookUrlPolicy, webhookUrlRefusal } from './webhook-url.js';

const production = webhookUrlPolicy({ production: true, allowPrivateUrls: false });
const selfHosted = webhookUrlPolicy({ production: true, allowPrivateUrls: true });
const development = webhookUrlPolicy({ production: false, allowPrivateUrls: false });

describe('webhook URL policy', () => {
  it('is strict in production only, unless the self-hosted switch is on', () => {
    expect(production).toEqual({ allowPrivateAddresses: false, requireHttps: true });
    expect(selfHosted).toEqual({ allowPrivateAddresses: true, requireHttps: false });
    expect(development).toEqual({ allowPrivateAddresses: true, requireHttps: false });
  });
});

describe('webhookUrlRefusal', () => {
  it('accepts a public https URL under every policy', () => {
    for (const policy of [production, selfHosted, development]) {
      expect(webhookUrlRefusal('https://oms.example.com/hooks/renkei', policy)).toBeNull();
      expect(webhookUrlRefusal('https://8.8.8.8/hooks', policy)).toBeNull();
    }
  });

  it('refuses what is not an http(s) URL, and credentials in it', () => {
    expect(webhookUrlRefusal('not a url', development)).toBe('invalidUrl');
    expect(webhookUrlRefusal('ftp://oms.example.com/', development)).toBe('scheme');
    expect(webhookUrlRefusal('file:///etc/passwd', development)).toBe('scheme');
    expect(webhookUrlRefusal('https://user:pw@oms.example.com/', development)).toBe('credentials');
  });

  it('asks for https in production', () => {
    expect(webhookUrlRefusal('http://oms.example.com/', production)).toBe('httpsRequired');
    expect(webhookUrlRefusal('http://oms.example.com/', selfHosted)).toBeNull();
  });

  it.each([
    ['https://127.0.0.1/', 'loopback'],
    ['https://localhost:8443/', 'loopback'],
    ['https://api.localhost/', 'loopback'],
    ['https://[::1]/', 'loopback'],
    // Other spellings of 127.0.0.1 the URL parser normalises.
    ['https://2130706433/', 'loopback'],
    ['https://0x7f.1/', 'loopback'],
    ['https://10.1.2.3/', 'private'],
    ['https://172.16.0.1/', 'private'],
    ['https://192.168.1.10/', 'private'],
    ['https://[fd12:3456::1]/', 'private'],
    ['https://169.254.10.1/', 'linkLocal'],
    ['https://[fe80::1]/', 'linkLocal'],
    ['https://100.64.0.1/', 'sharedAddress'],
    ['https://224.0.0.1/', 'multicast'],
    ['https://[ff02::1]/', 'multicast'],
    ['https://0.0.0.0/', 'reserved'],
    ['https://255.255.255.255/', 'reserved'],
    // Documentation addresses (TEST-NET-3) are no receiver either.
    ['https://203.0.113.9/', 'reserved'],
    // IPv4-mapped IPv6: judged as the IPv4 address it maps to.
    ['https://[::ffff:127.0.0.1]/', 'loopback'],
    ['https://[::ffff:10.0.0.1]/', 'private'],
  ])('refuses %s in production (%s), allows it in development', (url, reason) => {
    expect(webhookUrlRefusal(url, production)).toBe(reason);
    expect(webhookUrlRefusal(url, development)).toBeNull();
    expect(webhookUrlRefusal(url, selfHosted)).toBeNull();
  });

  it.each([
    'https://169.254.169.254/latest/meta-data/',
    'https://[fd00:ec2::254]/',
    'https://100.100.100.200/',
    'https://168.63.129.16/',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://[::ffff:169.254.169.254]/',
  ])('refuses the metadata service %s under every policy', (url) => {
    for (const policy of [production, selfHosted, development])
      expect(webhookUrlRefusal(url, policy)).toBe('metadata');
  });
});

describe('webhookAddressRefusal (a resolved address)', () => {
  it('judges addresses as they come from the resolver', () => {
    expect(webhookAddressRefusal('93.184.216.34', production)).toBeNull();
    expect(webhookAddressRefusal('2606:2800:220:1::1', production)).toBeNull();
    expect(webhookAddressRefusal('127.0.0.1', production)).toBe('loopback');
    expect(webhookAddressRefusal('::ffff:192.168.0.5', production)).toBe('private');
    expect(webhookAddressRefusal('127.0.0.1', development)).toBeNull();
    expect(webhookAddressRefusal('169.254.169.254', development)).toBe('metadata');
    expect(webhookAddressRefusal('nonsense', development)).toBe('invalidUrl');
  });
});
