-- attach: open the register file under the fixed name tracker (scoped views name its tables).
attach $path as tracker;
