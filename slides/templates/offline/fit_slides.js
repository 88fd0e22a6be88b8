// Fit every slide into reveal.js's box (960 x 700, scaled by reveal.js to the screen: 1280 x 800 and any other).
// The notebooks put a whole section on one slide, often taller than the box; nothing may be cut off on a projector:
//   1. a cell taller than the box on its own is split into its input and its output (a fragment, i.e. cells shown
//      one click later, is first split into one fragment per cell, shown at the same click);
//   2. a part still taller is split again: a text into its paragraphs, lists and equations, a code listing or a
//      printed output into runs of lines, several outputs into single ones;
//   3. a part still taller (one long paragraph, one tall figure) is zoomed out until it fits (CSS zoom);
//   4. the slide's parts are packed, in order, into as many slides as needed: the continuations come below it
//      (space or the down arrow), each with the slide's speaker notes.
// window.courseFitSlides() does it once, after MathJax has typeset, the fonts loaded and the images decoded (all change
// heights), and before reveal.js starts (the template calls reveal.js's initialize after it): reveal.js, and the
// speaker view's previews, which load the deck again, see the final slides, so a slide's number is the same in both.
// Then document.body.dataset.slidesFitted is "true" and .slidesZoom the smallest zoom used (tests/test_slides.py).
(function () {
  const BOX = 700 - 2 * 24;  // reveal.js's height less a margin above and below

  function outerHeight(element) {
    const style = getComputedStyle(element);
    return element.offsetHeight + parseFloat(style.marginTop) + parseFloat(style.marginBottom);
  }

  function splitCell(cell) {  // [input only, output only] copies of a code cell, in place of the cell
    const input = cell.cloneNode(true), output = cell.cloneNode(true);
    input.querySelectorAll(".jp-Cell-outputWrapper").forEach(node => node.remove());
    output.querySelectorAll(".jp-Cell-inputWrapper").forEach(node => node.remove());
    output.removeAttribute("id");
    cell.replaceWith(input, output);
    return [input, output];
  }

  function copies(part, count) {  // `count` copies of the part in its place (ids only on the first)
    const made = [part];
    for (let k = 1; k < count; k++) {
      const copy = part.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach(node => node.removeAttribute("id"));
      made[made.length - 1].after(copy);
      made.push(copy);
    }
    return made;
  }

  function groupsOf(heights, room) {  // consecutive indices whose heights add up to at most `room` (one at least)
    const groups = [[]];
    let used = 0;
    heights.forEach((height, index) => {
      if (used + height > room && groups[groups.length - 1].length) { groups.push([]); used = 0; }
      groups[groups.length - 1].push(index);
      used += height;
    });
    return groups;
  }

  function splitLong(part) {  // the part split into copies that each hold some of its blocks or lines
    const blocks = part.querySelector(".jp-RenderedMarkdown") || part.querySelector(".jp-OutputArea");
    if (blocks && blocks.children.length > 1) {
      const heights = [...blocks.children].map(outerHeight);
      const room = BOX - (outerHeight(part) - heights.reduce((a, b) => a + b, 0));
      const groups = room > BOX / 4 ? groupsOf(heights, room) : [];
      if (groups.length < 2) return [part];
      for (let k = 0; k < groups.length - 1; k++) {  // a heading or a lead-in ("Learning goals:") goes with what follows
        const last = blocks.children[groups[k][groups[k].length - 1]];
        const leadIn = /^H[1-6]$/.test(last.tagName) || (last.tagName === "P" && last.children.length === 1
          && last.children[0].tagName === "STRONG" && last.textContent.trim() === last.children[0].textContent.trim());
        if (leadIn && groups[k].length > 1) groups[k + 1].unshift(groups[k].pop());
      }
      const made = copies(part, groups.length);
      made.forEach((copy, k) => {
        const inCopy = copy === part ? blocks : copy.querySelector(blocks.classList.contains("jp-OutputArea")
          ? ".jp-OutputArea" : ".jp-RenderedMarkdown");
        [...inCopy.children].forEach((child, index) => { if (!groups[k].includes(index)) child.remove(); });
      });
      return made;
    }
    const pre = part.querySelector("pre");
    const lines = pre ? pre.innerHTML.replace(/\n$/, "").split("\n") : [];
    const room = pre ? BOX - (outerHeight(part) - pre.offsetHeight) : 0;  // what the lines may take in a copy
    if (lines.length > 1 && room > BOX / 4) {
      const perCopy = Math.max(1, Math.floor(room / (pre.offsetHeight / lines.length)));
      const count = Math.ceil(lines.length / perCopy);
      if (count < 2) return [part];
      const made = copies(part, count);
      made.forEach((copy, k) => {
        copy.querySelector("pre").innerHTML = lines.slice(k * perCopy, (k + 1) * perCopy).join("\n");
      });
      return made;
    }
    return [part];
  }

  function unwrapFragments(section) {  // a fragment holding several cells: one fragment per cell, same step
    for (const fragment of section.querySelectorAll(":scope > .fragment")) {
      const cells = [...fragment.children];
      if (cells.length < 2) continue;
      const made = cells.map(cell => {
        const wrapper = fragment.cloneNode(false);
        wrapper.append(cell);
        return wrapper;
      });
      fragment.replaceWith(...made);
    }
  }

  function widths(pre) {  // on screen: the width of the pre's text, and the width its box shows
    const text = document.createRange();
    text.selectNodeContents(pre);
    const box = pre.closest(".jp-InputArea-editor, .jp-OutputArea-output") || pre.parentElement;
    const shown = box.getBoundingClientRect(), style = getComputedStyle(box);
    return [text.getBoundingClientRect().right - shown.left,
            shown.width - parseFloat(style.paddingRight) - parseFloat(style.borderRightWidth)];
  }

  function fitWidths(section, smallest) {  // a code line or printed line wider than the slide: smaller letters
    for (const pre of section.querySelectorAll("pre")) {
      const [needed, shown] = widths(pre);
      if (needed > shown + 1) {
        const zoom = Math.floor(100 * shown / needed) / 100;
        pre.style.zoom = zoom;
        smallest = Math.min(smallest, zoom);
      }
    }
    return smallest;
  }

  function fitSection(section, smallest) {
    const notes = section.querySelector(":scope > aside.notes");
    const parts = () => [...section.children].filter(child => child !== notes);
    unwrapFragments(section);
    smallest = fitWidths(section, smallest);
    for (const child of parts()) {
      if (outerHeight(child) > BOX && child.querySelector(".jp-Cell-inputWrapper")
          && child.querySelector(".jp-Cell-outputWrapper .jp-OutputArea-output")) splitCell(child);
    }
    for (let round = 0; round < 3; round++) {
      for (const child of parts()) {
        if (outerHeight(child) > BOX) splitLong(child);
      }
    }
    for (const child of parts()) {
      const height = outerHeight(child);
      if (height > BOX) {
        const zoom = Math.floor(100 * BOX / height) / 100;
        child.style.zoom = zoom;
        smallest = Math.min(smallest, zoom);
      }
    }
    const groups = [[]];
    let used = 0;
    for (const child of parts()) {
      const height = outerHeight(child);
      if (used + height > BOX && groups[groups.length - 1].length) {
        groups.push([]);
        used = 0;
      }
      groups[groups.length - 1].push(child);
      used += height;
    }
    let previous = section;
    for (const group of groups.slice(1)) {
      const next = section.cloneNode(false);
      next.removeAttribute("id");
      next.append(...group);
      if (notes) next.append(notes.cloneNode(true));
      previous.after(next);
      previous = next;
    }
    return smallest;
  }

  window.courseDeckWidths = widths;  // for tests/test_slides.py: nothing may be cut off on the right either

  function fitAll() {
    const slides = document.querySelector(".reveal .slides");
    const saved = [slides.style.width, slides.style.height];
    [slides.style.width, slides.style.height] = ["960px", "700px"];  // what reveal.js will give them
    let smallest = 1;
    for (const section of [...document.querySelectorAll(".reveal .slides > section > section")]) {
      const stack = section.parentElement;
      const shown = [stack.style.display, section.style.display];
      stack.style.display = section.style.display = "block";  // reveal.js's style hides slides not shown: measure
      smallest = fitSection(section, smallest);
      [stack.style.display, section.style.display] = shown;
    }
    [slides.style.width, slides.style.height] = saved;
    document.body.dataset.slidesZoom = String(smallest);
    document.body.dataset.slidesFitted = "true";
  }

  window.courseFitSlides = () => {
    const typeset = typeof MathJax !== "undefined" && MathJax.Hub
      ? new Promise(resolve => MathJax.Hub.Queue(resolve)) : Promise.resolve();
    return typeset
      .then(() => document.fonts.ready)
      .then(() => Promise.all([...document.images].map(image => image.decode().catch(() => null))))
      .then(fitAll);
  };
})();
