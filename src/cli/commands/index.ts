// The CLI's commands, one module each. Add a command by importing it here.
import type { CliCommand } from '../command';
import { applyCommand } from './apply';
import { verifyCommand } from './verify';
import { contextCommand } from './context';
import { repomapCommand } from './repomap';
import { editCommand } from './edit';
import { modelsCommand } from './models';
import { chatCommand } from './chat';
import { completeCommand } from './complete';
import { mcpCommand } from './mcp';

export const commands: CliCommand[] = [applyCommand, verifyCommand, contextCommand, repomapCommand, editCommand, modelsCommand, chatCommand, completeCommand, mcpCommand];
