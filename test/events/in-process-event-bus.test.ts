import { InProcessEventBus } from '../../src/events/in-process-event-bus.js';
import { eventBusContract } from './event-bus-contract.js';

eventBusContract('InProcessEventBus', async (logger) => new InProcessEventBus(logger));
