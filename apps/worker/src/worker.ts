// The job worker: takes BuyBuy's background jobs from Redis (BullMQ) until SIGTERM/SIGINT.
import { startFromCommandLine } from './main';

startFromCommandLine();
