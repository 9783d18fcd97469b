import { notFound } from './errors.js';
import type { HandlerContext, HandlerResult } from './handler.js';
import { listRecords } from './list.js';
import { renderResource } from './serialize.js';

export function getSchemas(context: HandlerContext): HandlerResult {
  return { status: 200, body: { data: context.workspace.registry.renderAll(), links: { next: null, prev: null } } };
}

export function createObjectSchema(context: HandlerContext): HandlerResult {
  const registry = context.workspace.registry;
  const object = registry.createObject(context.body());
  return { status: 201, body: { data: registry.render(object) } };
}

export function addProperties(context: HandlerContext): HandlerResult {
  const registry = context.workspace.registry;
  registry.addProperties(context.params.entity ?? '', context.body());
  context.workspace.store.touch(context.params.entity ?? '');
  return { status: 202 };
}

export function listUsers(context: HandlerContext): HandlerResult {
  const users = context.workspace.registry.require('user');
  return { status: 200, body: listRecords(context.workspace.store, users, context.query, context.url) };
}

export function getUser(context: HandlerContext): HandlerResult {
  const users = context.workspace.registry.require('user');
  const id = context.params.id ?? '';
  const record = context.workspace.store.get('user', id);
  if (!record) throw notFound(`No user with id "${id}"`);
  return { status: 200, body: { data: renderResource(context.workspace.store, users, record) } };
}
