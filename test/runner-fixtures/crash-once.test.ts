// A fixture of the browser runner's own test (test/node/browser-runner-rerun.test.ts), not part of the
// suite: it fails the first time, after killing the shard's emulator as wrtc's crashes do, and passes
// when the runner runs it again after that crash.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';

it('passes once the emulator has crashed', async () => {
  expect(await executeServerCommand('charivo-crash-emulator-once')).to.equal('already');
});
