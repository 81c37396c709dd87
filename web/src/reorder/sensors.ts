import { KeyboardSensor, PointerSensor, TouchSensor, useSensor, useSensors, type PointerSensorOptions } from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import type { PointerEvent as ReactPointerEvent } from 'react';

/**
 * Pointer events for the mouse and pen, but not for fingers: those go to the touch sensor below, which waits for a
 * press-and-hold so that a swipe over the list still scrolls it.
 */
class MouseOrPenSensor extends PointerSensor {
  static activators = [{
    eventName: 'onPointerDown' as const,
    handler: ({ nativeEvent: event }: ReactPointerEvent, { onActivation }: PointerSensorOptions) => {
      if (!event.isPrimary || event.button !== 0 || event.pointerType === 'touch') return false;
      onActivation?.({ event });
      return true;
    },
  }];
}

/**
 * Mouse and pen (after 4 px, so a click on the handle is still a click), touch (press and hold 180 ms on the handle,
 * so a swipe still scrolls the page) and keyboard (Space or Enter picks up, arrows move, Space or Enter drops, Escape
 * cancels).
 */
export function useReorderSensors() {
  return useSensors(
    useSensor(MouseOrPenSensor, { activationConstraint: { distance: 4 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 180, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
}

export const dragInstructions =
  'To move it, press Space or Enter, move it with the arrow keys, and press Space or Enter again to drop it. '
  + 'Escape cancels. On a touch screen, press and hold the handle, then drag.';
